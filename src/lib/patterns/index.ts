// Finding the heat-map patterns of Gregg's guide in a profile, with the code behind
// each and every occurrence in time, to propose as annotations:
//
//   findPatterns(profile)            // [{kind: "perturbation", label, occurrences, …}, …]
//   annotate(profile, instance)      // a proposal accepted (../annotations.ts)
import type {Profile} from "../profile.js";
import {occupancy} from "../occupancy.js";
import {findEpisodes} from "./episodes.js";
import {evidence} from "./frames.js";
import {durationText, rangesSelection, round6, samplesIn, shortName} from "./instance.js";
import {findBursts, findTrend, steadyLoad} from "./load.js";
import {findFunctionBursts} from "./functions.js";
import {findPeriodic} from "./periodic.js";
import {sampleTicks, type Ticks} from "./ticks.js";
import {DEFAULT_MIN_CONFIDENCE, PATTERN_KINDS, type PatternInstance, type PatternKind, type PatternOptions} from "./types.js";
import {NS} from "../time.js";

export * from "./types.js";

/** The patterns in a profile, most confident first (ties: earliest first). Steady load
 * is reported only when nothing else is. Throws on options it cannot use. */
export function findPatterns(profile: Profile, options: PatternOptions = {}): PatternInstance[] {
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  if (!(Number.isFinite(minConfidence) && minConfidence >= 0 && minConfidence <= 1)) {
    throw new Error(`patterns: the minimum confidence is a number from 0 to 1, not ${options.minConfidence}`);
  }
  for (const k of options.kinds ?? []) {
    if (!PATTERN_KINDS.includes(k)) throw new Error(`patterns: unknown kind ${JSON.stringify(k)} (kinds: ${PATTERN_KINDS.join(", ")})`);
  }
  const kinds = new Set<PatternKind>(options.kinds ?? PATTERN_KINDS.filter((k) => k !== "occupancy" || options.frame !== undefined));
  const analysis = {idle: options.idle, filter: options.filter};
  const ticks = sampleTicks(profile, analysis);
  if (!ticks) return [];
  const found: PatternInstance[] = [];
  const {instance: bursts, bursts: burstSpans} = findBursts(ticks, minConfidence);
  if (bursts && kinds.has("load-bursts")) found.push(bursts);
  if (kinds.has("load-trend")) {
    const trend = findTrend(ticks, minConfidence);
    if (trend) found.push(trend);
  }
  // Episodes are looked for even when not asked for: work inside them is theirs.
  const episodes = findEpisodes(ticks, {minConfidence, explained: burstSpans});
  found.push(...episodes.filter((p) => kinds.has(p.kind)));
  if (kinds.has("periodic") || kinds.has("busy-wait")) {
    // Work inside load bursts and episodes is theirs (a batch job's threads line up at
    // its period; GC threads run only in its pauses).
    const explained = [...(bursts?.occurrences ?? []), ...episodes.flatMap((e) => e.occurrences)];
    found.push(...findPeriodic(ticks, {minConfidence, explained}).filter((p) => kinds.has(p.kind)));
  }
  if (kinds.has("load-bursts")) {
    // Episodes and load bursts explain a function's bursts; a periodic thread's short
    // windows do not (a 100 ms timer's windows touch every burst).
    const explained = found.filter((p) => p.kind !== "periodic" && p.kind !== "busy-wait").flatMap((p) => p.occurrences);
    found.push(...findFunctionBursts(ticks, {minConfidence, explained: [...explained, ...episodes.flatMap((e) => e.occurrences)]}));
  }
  if (kinds.has("occupancy")) {
    if (options.frame === undefined) throw new Error(`patterns: the "occupancy" kind needs a frame (the function to follow)`);
    const instance = occupancyInstance(ticks, options.frame);
    if (instance) found.push(instance);
  }
  if (found.length === 0 && kinds.has("steady-load")) {
    const steady = steadyLoad(ticks, minConfidence);
    if (steady) found.push(steady);
  }
  return found.sort((a, b) => b.confidence - a.confidence || (a.occurrences[0]?.from ?? 0) - (b.occurrences[0]?.from ?? 0));
}

/** "When does X run?": the intervals in which a function is on CPU, as an instance. */
function occupancyInstance(ticks: Ticks, frame: string | RegExp): PatternInstance | null {
  const {profile, view} = ticks;
  const intervals = occupancy(profile, frame, view.options);
  if (intervals.length === 0) return null;
  const occurrences = intervals.map((o) => ({from: round6(Math.max(0, o.from)), to: round6(Math.max(o.to, o.from + ticks.tickNs / NS))}));
  const ev = evidence(ticks, samplesIn(profile, occurrences));
  const source = shortName(typeof frame === "string" ? frame : frame.source);
  const total = occurrences.reduce((s, o) => s + (o.to - o.from), 0);
  return {
    kind: "occupancy",
    label: `${source} on CPU: ${intervals.length}×, ${durationText(total)} in all`,
    explanation: `Samples with a frame matching ${JSON.stringify(source)} come in ${intervals.length} ${intervals.length === 1 ? "interval" : "intervals"}, ${durationText(total)} in all: the times it runs.`,
    confidence: 1,
    frames: ev.frames, threads: ev.threads,
    parameters: {frame: source, intervals: intervals.length, samples: intervals.reduce((s, o) => s + o.samples, 0), totalMs: Math.round(total * 1000)},
    occurrences, selection: rangesSelection(occurrences),
  };
}
