// What the pattern detectors (../patterns/) should find in a synthetic profile, read
// off its plan, and how far what they found is from it: the test suite's checks and
// the benchmark's table (bench/patterns.js) are both this comparison.
import type {PatternInstance, PatternKind} from "../patterns/types.js";
import {NS} from "../time.js";
import type {SynthPlan} from "./plan.js";
import {BLOCKING_IO, REQUEST, type Activity} from "./programs.js";

export interface ExpectedPattern {
  kind: PatternKind;
  /** The functions the pattern's work runs in, one of which must be among the
  * instance's frames (for blocking, the work just before the gaps). */
  frames: string[];
  periodMs?: number;
  /** Offset of the wake-up in the period (periodic) or of the first one (busy-wait). */
  phaseMs?: number;
  busyMs?: number;
  utilization?: number;
  fromUtilization?: number;
  toUtilization?: number;
  everyMs?: number;
  durationMs?: number;
  /** Episodes, seconds since the origin, that must each be one occurrence. */
  episodes?: {from: number; to: number}[];
}

/** Episodes within this of a capture's ends may go unreported (the detectors take
 * them for the workload starting or stopping: ../patterns/episodes.ts EDGE_NS). */
const EDGE_S = 1;

export function expectedPatterns(plan: SynthPlan): ExpectedPattern[] {
  const o = plan.options;
  const fn = plan.pattern.function;
  const episodes = plan.episodes.map((e) => ({from: e.start / NS, to: e.end / NS}));
  const inner = episodes.filter((e) => e.from >= EDGE_S && e.to <= o.seconds - EDGE_S);
  switch (plan.pattern.name) {
    case "one-thread-once": return [{kind: "periodic", frames: [fn], periodMs: 1000, phaseMs: o.wakeMs[0]}];
    case "one-thread-twice": return [{kind: "periodic", frames: [fn], periodMs: 500, phaseMs: o.wakeMs[0] % 500}];
    case "two-threads": return o.wakeMs.map((w, i) => ({kind: "periodic" as const, frames: [["probe_postgres", "probe_redis"][i]], periodMs: 1000, phaseMs: w}));
    case "cpus-100": case "cpus-50": case "cpus-25": case "cpus-5":
      return [{kind: "steady-load", frames: [fn], utilization: o.utilization}];
    case "load-increasing": return [{kind: "load-trend", frames: [fn], fromUtilization: o.utilization, toUtilization: o.peakUtilization}];
    case "load-5s-every-30s": return [{kind: "load-bursts", frames: [fn], everyMs: o.everySeconds * 1000, durationMs: o.episodeMs, episodes}];
    case "perturbations": return [{kind: "perturbation", frames: [fn], episodes: inner}];
    // The samples just before a gap hint at its cause: any frame of the blocking
    // read's stacks but the base every request's stack has too.
    case "cpu-blocking": return [{kind: "cpu-blocking", frames: ownFrames(BLOCKING_IO, REQUEST), episodes: inner}];
    case "single-threaded-blocking": return [{kind: "single-threaded-blocking", frames: [fn], episodes: inner}];
    default: // the busy-waits
      return [{kind: "busy-wait", frames: [fn], periodMs: o.sleepMs + o.busyMs, phaseMs: o.wakeMs[0], busyMs: o.busyMs}];
  }
}

/** The frame names of an activity's stacks but those on every stack of another. */
function ownFrames(activity: Activity, other: Activity): string[] {
  const names = (frames: readonly {name: string}[]) => new Set(frames.map((f) => f.name));
  const common = other.stacks.map((v) => names(v.frames)).reduce((a, b) => new Set([...a].filter((n) => b.has(n))));
  return [...names(activity.stacks.flatMap((v) => v.frames))].filter((n) => !common.has(n));
}

export interface PatternScore {
  expected: ExpectedPattern;
  /** The instance matched to it, or null. */
  found: PatternInstance | null;
  /** Relative errors (period, busy time), the phase error in ms, episodes recalled. */
  periodError?: number;
  busyError?: number;
  phaseErrorMs?: number;
  recalled?: number;
  /** Whether every requirement holds: period within 2 %, busy time within 20 %, phase
   * within one 20 ms bucket, levels within 0.05, each episode one occurrence. */
  ok: boolean;
}

export interface SyntheticScore {
  scores: PatternScore[];
  /** Instances that match no expected pattern. */
  extra: PatternInstance[];
  ok: boolean;
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

function circularMs(a: number, b: number, period: number): number {
  const d = Math.abs((((a - b) % period) + period) % period);
  return Math.min(d, period - d);
}

const overlaps = (a: {from: number; to: number}, b: {from: number; to: number}) => a.from < b.to && b.from < a.to;

function score(e: ExpectedPattern, p: PatternInstance, plan: SynthPlan): PatternScore {
  const q = p.parameters as Record<string, number>;
  const s: PatternScore = {expected: e, found: p, ok: true};
  const need = (ok: boolean) => (s.ok &&= ok);
  const named = [...p.frames.map((f) => f.name), ...p.threads];
  need(e.frames.some((f) => named.includes(f)));
  if (e.periodMs !== undefined) need((s.periodError = relative(q.periodMs, e.periodMs)) <= 0.02);
  if (e.phaseMs !== undefined) need((s.phaseErrorMs = circularMs(q.phaseMs, e.phaseMs, e.periodMs!)) <= 20);
  if (e.busyMs !== undefined) need((s.busyError = Math.max(relative(q.busyMs, e.busyMs), relative(q.measuredBusyMs, e.busyMs), relative(q.formulaBusyMs, e.busyMs))) <= 0.2);
  if (e.utilization !== undefined) need(Math.abs(q.utilization - e.utilization) <= 0.05);
  if (e.fromUtilization !== undefined) need(Math.abs(q.fromUtilization - e.fromUtilization) <= 0.05 && Math.abs(q.toUtilization - e.toUtilization!) <= 0.05);
  if (e.everyMs !== undefined) need(relative(q.everyMs, e.everyMs) <= 0.02 && relative(q.durationMs, e.durationMs!) <= 0.2);
  if (e.episodes) {
    const all = plan.episodes.map((x) => ({from: x.start / NS, to: x.end / NS}));
    const one = e.episodes.filter((x) => p.occurrences.filter((o) => overlaps(o, x)).length === 1).length;
    s.recalled = e.episodes.length ? one / e.episodes.length : 1;
    need(one === e.episodes.length && p.occurrences.every((o) => all.some((x) => overlaps(o, x))));
  }
  return s;
}

/** The found instances against the plan's expected patterns: each expected one
 * matched to the best-scoring instance of its kind, the rest extra. */
export function scoreSynthetic(found: readonly PatternInstance[], plan: SynthPlan): SyntheticScore {
  const left = [...found];
  const scores = expectedPatterns(plan).map((e) => {
    const options = left.filter((p) => p.kind === e.kind).map((p) => score(e, p, plan));
    const best = options.find((s) => s.ok) ?? options[0] ?? {expected: e, found: null, ok: false};
    if (best.found) left.splice(left.indexOf(best.found), 1);
    return best;
  });
  return {scores, extra: left, ok: scores.every((s) => s.ok) && left.length === 0};
}
