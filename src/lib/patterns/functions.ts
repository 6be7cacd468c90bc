// Bursts of one function: a cache refresh, a compaction, a report: code that runs for
// 100s of ms at a time and rarely otherwise, whether or not it raises the CPUs' load
// (a refresh on a Node event loop takes the loop's one CPU from the requests). Found
// per frame: the runs of its samples (as in ../occupancy.ts), kept when the frame's
// samples gather in them far more than the profile's activity does (a binomial test),
// so a function that runs whenever anything runs is not a burst.
import {frameName, stackComm} from "../profile.js";
import {evidence} from "./frames.js";
import {durationText, rangesSelection, round6, samplesIn, shortName} from "./instance.js";
import {confidenceOf, logBinomialTail, median} from "./stats.js";
import type {Ticks} from "./ticks.js";
import type {PatternInstance, PatternOccurrence} from "./types.js";

/** Frames examined (most samples first), and the fewest samples worth it. */
const MAX_FRAMES = 300;
const MIN_SAMPLES = 12;
/** A burst: at least this long and this many samples. */
const MIN_BURST_NS = 100e6;
const MIN_BURST_SAMPLES = 4;

interface Candidate {
  /** The function's name, V8's JIT tier mark dropped. */
  name: string;
  samples: number[];
}

/** A frame's function: V8 names a function by its JIT tier (`JS:~f` interpreted,
 * `JS:^f` baseline, `JS:*f` optimised), and a function that moves up a tier during
 * warm-up would look like a burst of each. */
function functionName(name: string): string {
  return name.replace(/^JS:[~^*+]/, "JS:");
}

/** The functions worth examining and each one's samples: those on fewer than half of
 * the counted samples (a thread's entry point is on all of its own). */
function candidates(ticks: Ticks): Candidate[] {
  const {profile, tickOf} = ticks;
  const {prefix, frame} = profile.stacks;
  const {stack} = profile.samples;
  const perStack = new Float64Array(profile.stacks.length);
  for (let i = 0; i < tickOf.length; i++) if (tickOf[i] >= 0) perStack[stack[i]]++;
  const keyOf = new Map<number, number>(), names: string[] = [], keyByName = new Map<string, number>();
  const key = (f: number) => {
    let k = keyOf.get(f);
    if (k === undefined) {
      const name = functionName(frameName(profile, f));
      k = keyByName.get(name);
      if (k === undefined) keyByName.set(name, (k = names.push(name) - 1));
      keyOf.set(f, k);
    }
    return k;
  };
  const perKey: number[] = [];
  const keysOf = new Map<number, number[]>();
  for (let s = 0; s < perStack.length; s++) {
    if (perStack[s] === 0) continue;
    const seen = new Set<number>();
    for (let x = s; prefix[x] >= 0; x = prefix[x]) seen.add(key(frame[x])); // not the process frame
    for (const k of seen) perKey[k] = (perKey[k] ?? 0) + perStack[s];
    keysOf.set(s, [...seen]);
  }
  const chosen = names.map((_, k) => k)
    .filter((k) => perKey[k] >= MIN_SAMPLES && perKey[k] <= 0.5 * ticks.samples)
    .sort((a, b) => perKey[b] - perKey[a])
    .slice(0, MAX_FRAMES);
  const index = new Map(chosen.map((k, j) => [k, j]));
  const lists: number[][] = chosen.map(() => []);
  for (let i = 0; i < tickOf.length; i++) {
    if (tickOf[i] < 0) continue;
    for (const k of keysOf.get(stack[i]) ?? []) {
      const j = index.get(k);
      if (j !== undefined) lists[j].push(i);
    }
  }
  return chosen.map((k, j) => ({name: names[k], samples: lists[j]}));
}

interface Burst {
  k0: number;
  k1: number;
  samples: number;
}

/** Runs of a frame's samples no more than four sampling periods apart. */
function bursts(ticks: Ticks, samples: number[]): Burst[] {
  const {tickOf, perTick, tickNs} = ticks;
  const gapTicks = Math.max(1, Math.round(4 / perTick));
  const out: Burst[] = [];
  let start = -1, last = -1, n = 0;
  const close = () => {
    if (n >= MIN_BURST_SAMPLES && (last - start + 1) * tickNs >= MIN_BURST_NS) out.push({k0: start, k1: last, samples: n});
  };
  for (const i of samples) {
    const k = tickOf[i];
    if (n > 0 && k - last <= gapTicks) { last = k; n++; continue; }
    close();
    start = last = k;
    n = 1;
  }
  close();
  return out;
}

export function findFunctionBursts(ticks: Ticks, options: {minConfidence: number; explained: readonly PatternOccurrence[]}): PatternInstance[] {
  const {busy, count, tickNs} = ticks;
  // Counted samples up to each tick: the profile's activity inside a set of bursts.
  const activity = new Float64Array(count + 1);
  for (let k = 0; k < count; k++) activity[k + 1] = activity[k] + busy[k];
  const explainedTicks = options.explained.map((o) => [Math.floor((o.from * 1e9 - ticks.start) / tickNs), Math.ceil((o.to * 1e9 - ticks.start) / tickNs)]);
  const list = candidates(ticks);
  const found: {name: string; runs: Burst[]; logP: number; samples: number[]}[] = [];
  for (const c of list) {
    const runs = bursts(ticks, c.samples);
    if (runs.length === 0) continue;
    const inRuns = runs.reduce((s, r) => s + r.samples, 0);
    if (inRuns < 0.7 * c.samples.length) continue;
    const spanTicks = runs.reduce((s, r) => s + (r.k1 - r.k0 + 1), 0);
    if (spanTicks > 0.25 * count) continue;
    // In a burst the function is most of what its threads do (a refresh takes the
    // event loop), and the work under it is its own: the leaf functions of its bursts
    // run mostly in them. A caller the JIT inlines away after warm-up passes the first
    // test (it was over most requests) but not the second (the requests' work goes on).
    if (threadShare(ticks, c.samples, runs) < 0.6 || leafShare(ticks, c.samples, runs) < 0.5) continue;
    const share = runs.reduce((s, r) => s + activity[r.k1 + 1] - activity[r.k0], 0) / ticks.samples;
    const logP = logBinomialTail(inRuns, c.samples.length, Math.min(1, share));
    // Work another pattern already explains (a GC pause's threads, a load burst's job).
    const covered = runs.filter((r) => explainedTicks.some(([a, b]) => r.k0 < b && r.k1 > a)).length;
    if (covered >= 0.5 * runs.length) continue;
    found.push({name: c.name, runs, logP, samples: c.samples});
  }
  // Nested frames (a refresh and what it calls) burst together: keep the one with the
  // most samples of each set of coinciding bursts.
  found.sort((a, b) => b.samples.length - a.samples.length);
  const kept: typeof found = [];
  for (const f of found) {
    const same = kept.some((k) => overlapShare(k.runs, f.runs) >= 0.6);
    if (!same) kept.push(f);
  }
  const out: PatternInstance[] = [];
  for (const f of kept) {
    const confidence = confidenceOf(f.logP, list.length * 4);
    if (confidence < options.minConfidence) continue;
    out.push(burstInstance(ticks, f.name, f.runs, f.samples, confidence));
  }
  return out;
}

/** The function's share of its threads' samples inside its bursts. */
function threadShare(ticks: Ticks, samples: number[], runs: Burst[]): number {
  const {profile, sample, lanes} = ticks;
  const threads = new Set(samples.map((i) => profile.samples.thread[i]));
  let all = 0;
  for (const r of runs) {
    for (let k = r.k0; k <= r.k1; k++) {
      for (let l = 0; l < lanes; l++) {
        const i = sample[k * lanes + l];
        if (i >= 0 && threads.has(profile.samples.thread[i])) all++;
      }
    }
  }
  const inRuns = runs.reduce((s, r) => s + r.samples, 0);
  return all ? Math.min(1, inRuns / all) : 0;
}

/** Of the burst samples' leaf functions, the share of their samples inside the bursts
 * (weighted by how often each is a leaf in them). */
function leafShare(ticks: Ticks, samples: number[], runs: Burst[]): number {
  const {profile, tickOf} = ticks;
  const {stack} = profile.samples;
  const leafOf = (i: number) => functionName(frameName(profile, profile.stacks.frame[stack[i]]));
  const inBursts = new Map<string, number>();
  const inRun = (k: number) => runs.some((r) => k >= r.k0 && k <= r.k1);
  for (const i of samples) if (inRun(tickOf[i])) inBursts.set(leafOf(i), (inBursts.get(leafOf(i)) ?? 0) + 1);
  const everywhere = new Map<string, number>();
  for (let i = 0; i < tickOf.length; i++) {
    if (tickOf[i] < 0) continue;
    const leaf = leafOf(i);
    if (inBursts.has(leaf)) everywhere.set(leaf, (everywhere.get(leaf) ?? 0) + 1);
  }
  let weighted = 0, total = 0;
  for (const [leaf, n] of inBursts) {
    weighted += n * (n / everywhere.get(leaf)!);
    total += n;
  }
  return total ? weighted / total : 0;
}

/** The share of `b`'s bursts that overlap one of `a`'s. */
function overlapShare(a: Burst[], b: Burst[]): number {
  return b.filter((r) => a.some((s) => r.k0 <= s.k1 && s.k0 <= r.k1)).length / b.length;
}

function burstInstance(ticks: Ticks, name: string, runs: Burst[], samples: number[], confidence: number): PatternInstance {
  const {profile, tickNs} = ticks;
  const samplingNs = tickNs / ticks.perTick;
  const occurrences = runs.map((r) => ({
    from: round6(Math.max(0, ticks.start + r.k0 * tickNs - samplingNs) / 1e9),
    to: round6((ticks.start + (r.k1 + 1) * tickNs) / 1e9),
  }));
  const ev = evidence(ticks, samplesIn(profile.samples.time, occurrences));
  const threads = [...new Set(samples.slice(0, 2000).map((i) => stackComm(profile, profile.samples.stack[i])))].slice(0, 3);
  const ms = median(occurrences.map((o) => (o.to - o.from) * 1000));
  const gaps = occurrences.slice(1).map((o, i) => o.from - occurrences[i].from);
  const every = gaps.length >= 2 && gaps.every((g) => Math.abs(g - median(gaps)) <= 0.1 * median(gaps)) ? median(gaps) : null;
  const what = shortName(name);
  const spacing = every === null ? "" : ` every ${durationText(every)}`;
  return {
    kind: "load-bursts",
    label: `bursts of ${what}: ${durationText(ms / 1000)}${spacing}, ${runs.length}×`,
    explanation: `${what} (${threads.join(", ")}) runs in ${runs.length} ${runs.length === 1 ? "burst" : "bursts"} of about ${durationText(ms / 1000)}${every === null ? "" : `, one every ${durationText(every)}`}, and hardly at all in between: a refresh, a batch or a scheduled job.`,
    confidence: Math.round(confidence * 1000) / 1000,
    // The bursting function first, with its shares as the evidence measured them.
    frames: [...ev.frames.filter((f) => functionName(f.name) === name), ...ev.frames.filter((f) => functionName(f.name) !== name)].slice(0, 5),
    threads,
    parameters: {frame: what, count: runs.length, durationMs: Math.round(ms), ...(every === null ? {} : {everyMs: Math.round(every * 1000)}), samples: samples.length},
    occurrences, selection: rangesSelection(occurrences),
  };
}
