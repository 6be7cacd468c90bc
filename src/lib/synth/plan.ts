// A pattern's plan: which thread runs on which CPU when (work intervals, ns since the
// profile's origin), and when perf samples each CPU. Each part draws its numbers from
// its own seeded stream, so the same options give the same plan.
import {NS} from "../time.js";
import {synthPattern, type PatternInfo} from "./catalogue.js";
import {resolveOptions, type ResolvedSynthOptions, type SynthOptions} from "./options.js";
import {Random} from "./random.js";
import {addNoise, sampleClock, Schedule, type TimeSpan, type WorkInterval} from "./schedule.js";

export interface SynthPlan {
  pattern: PatternInfo;
  options: ResolvedSynthOptions;
  /** Perf time (whole seconds) of the profile's origin: time 0 of the plan. */
  origin: number;
  /** Sampling period (perf's cpu-clock period), ns. */
  periodNs: number;
  /** Sample times of each CPU, ns since the origin (whole microseconds, as perf
   * prints them), ascending. */
  sampleTimes: Float64Array[];
  /** Work on each CPU, by start time, not overlapping; a CPU is idle outside it. */
  work: WorkInterval[][];
  /** The pattern's episodes (load bursts, perturbations, blocked spans), ns since the
   * origin; empty for the others. */
  episodes: TimeSpan[];
}

/** The work running on `cpu` at `time` (ns since the origin), or null when it is idle. */
export function workAt(plan: SynthPlan, cpu: number, time: number): WorkInterval | null {
  const list = plan.work[cpu];
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].end <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length && list[lo].start <= time ? list[lo] : null;
}

export function synthPlan(name: string, options: SynthOptions = {}): SynthPlan {
  const pattern = synthPattern(name);
  const o = resolveOptions(pattern.defaults, options);
  const origin = Math.floor(o.start);
  const from = Math.round((o.start - origin) * 1e6) * 1000;
  const to = from + Math.round(o.seconds * 1e6) * 1000;
  const periodNs = Math.floor(NS / o.hz);
  const sampleTimes = sampleClock(o, from, to, periodNs, new Random(o.seed, "clock"));
  const ctx = new Schedule(o, from, to, sampleTimes, new Random(o.seed, `${name}/schedule`));
  pattern.schedule(ctx);
  const work = ctx.finish();
  addNoise(ctx, work, new Random(o.seed, `${name}/noise`));
  return {pattern, options: o, origin, periodNs, sampleTimes, work, episodes: ctx.episodes};
}
