// Scheduling a pattern's plan: when each CPU's sampling timer fires, which thread runs
// on which CPU when (work added in any order, one thread at a time per CPU), the
// background kernel work in the idle time, and the building blocks the patterns'
// schedules are made of (periodic wake-ups, busy-waits, random requests, episodes).
import {lowerBound} from "../sorted.js";
import {NS} from "../time.js";
import type {ResolvedSynthOptions} from "./options.js";
import {BUSY_WAIT, KWORKER, POLLER, REQUEST, SOFTIRQ, Threads, type Activity, type SynthThread} from "./programs.js";
import type {Random} from "./random.js";

/** A thread running on a CPU over [start, end), ns since the origin. */
export interface WorkInterval {
  cpu: number;
  start: number;
  end: number;
  thread: SynthThread;
  activity: Activity;
}

export interface TimeSpan {
  start: number;
  end: number;
}

/** perf's cpu-clock timers: one per CPU, started microseconds apart, each firing every
 * period a few microseconds late (sometimes tens). With 49 Hz, 49 periods are 13 ns
 * short of a second, so a CPU is sampled at nearly the same offsets every second. */
export function sampleClock(o: ResolvedSynthOptions, from: number, to: number, periodNs: number, rng: Random): Float64Array[] {
  const clocks: Float64Array[] = [];
  let phase = rng.between(2_000, 9_000);
  for (let cpu = 0; cpu < o.cpus; cpu++) {
    const times: number[] = [];
    for (let nominal = from + phase; nominal < to; nominal += periodNs) {
      const late = rng.chance(0.03) ? rng.between(10_000, 40_000) : rng.between(0, 6_000);
      times.push(Math.floor((nominal + late) / 1000) * 1000);
    }
    clocks.push(Float64Array.from(times));
    phase += rng.between(30_000, 60_000);
  }
  return clocks;
}

/** Scheduler latency after a timer or sleep expires, mean ns. */
const WAKE_LATENCY_NS = 60_000;
/** Shortest request a CPU runs, ns. */
const MIN_REQUEST_NS = 200_000;

/** The plan being built: work added per CPU in any order, episodes, thread placement. */
export class Schedule {
  readonly episodes: TimeSpan[] = [];
  readonly threads: Threads;
  private readonly work: WorkInterval[][];
  private readonly lastCpu = new Map<SynthThread, number>();

  constructor(
    readonly o: ResolvedSynthOptions,
    readonly from: number,
    readonly to: number,
    readonly sampleTimes: Float64Array[],
    readonly rng: Random,
  ) {
    this.work = Array.from({length: o.cpus}, () => []);
    this.threads = new Threads(o.cpus);
  }

  add(cpu: number, start: number, end: number, thread: SynthThread, activity: Activity): void {
    const s = Math.max(this.from, Math.round(start)), e = Math.min(this.to, Math.round(end));
    if (e > s) this.work[cpu].push({cpu, start: s, end: e, thread, activity});
  }

  /** Removes work from [start, end) on a CPU, trimming or splitting what overlaps. */
  clear(cpu: number, start: number, end: number): void {
    const kept: WorkInterval[] = [];
    for (const w of this.work[cpu]) {
      if (w.end <= start || w.start >= end) kept.push(w);
      else {
        if (w.start < start) kept.push({...w, end: start});
        if (w.end > end) kept.push({...w, start: end});
      }
    }
    this.work[cpu] = kept;
  }

  /** Where a thread runs on waking: mostly where it ran last (the scheduler prefers a
   * cache-warm CPU), sometimes elsewhere. */
  place(thread: SynthThread): number {
    const last = this.lastCpu.get(thread);
    const cpu = last === undefined || this.rng.chance(0.15) ? this.rng.int(this.o.cpus) : last;
    this.lastCpu.set(thread, cpu);
    return cpu;
  }

  /** The sample time on `cpu` nearest to `time`. */
  nearestSample(cpu: number, time: number): number {
    const times = this.sampleTimes[cpu];
    const lo = lowerBound(times, time);
    if (lo === times.length) return times[lo - 1];
    return lo > 0 && time - times[lo - 1] < times[lo] - time ? times[lo - 1] : times[lo];
  }

  /** The work per CPU by start time. A CPU runs one thread at a time, so work that
   * would overlap earlier work starts when it ends. */
  finish(): WorkInterval[][] {
    return this.work.map((list) => {
      list.sort((a, b) => a.start - b.start);
      const out: WorkInterval[] = [];
      for (const w of list) {
        const prevEnd = out.length ? out[out.length - 1].end : -Infinity;
        if (w.end <= prevEnd) continue;
        out.push(w.start < prevEnd ? {...w, start: prevEnd} : w);
      }
      return out;
    });
  }
}

/** Short kernel work in the pattern's idle time, as on any real machine: each CPU's own
 * kworker and ksoftirqd threads, so none runs on two CPUs at once. */
export function addNoise(ctx: Schedule, work: WorkInterval[][], rng: Random): void {
  const {noise, cpus} = ctx.o;
  if (noise <= 0) return;
  const meanNs = 1.5e6;
  for (let cpu = 0; cpu < cpus; cpu++) {
    const busy = work[cpu];
    const free: WorkInterval[] = [];
    let next = 0;
    for (let t = ctx.from + rng.exp(meanNs / noise); t < ctx.to; t += rng.exp(meanNs / noise)) {
      const end = Math.min(ctx.to, t + Math.max(100_000, rng.exp(meanNs)));
      while (next < busy.length && busy[next].end <= t) next++;
      if (next < busy.length && busy[next].start < end) continue;
      const [thread, activity] = rng.chance(0.6) ? [ctx.threads.kworker(cpu), KWORKER] : [ctx.threads.ksoftirqd(cpu), SOFTIRQ];
      free.push({cpu, start: Math.round(t), end: Math.round(end), thread, activity});
      t = end;
    }
    work[cpu] = [...busy, ...free].sort((a, b) => a.start - b.start);
  }
}

// The building blocks of the patterns' schedules (see the catalogue).

/** Threads waking at fixed offsets each second for `busyMs`. Work much shorter than the
 * sampling period is caught every second or never, because the sampling phase barely
 * moves from second to second; so each wake-up is placed around the sample instant
 * nearest its offset, as a pattern worth showing is one the profile caught. */
export function periodic(ctx: Schedule, wakes: {thread: SynthThread; activity: Activity}[]): void {
  const {o, rng} = ctx;
  const busy = o.busyMs * 1e6;
  for (let second = Math.floor(ctx.from / NS); second * NS < ctx.to; second++) {
    o.wakeMs.forEach((offsetMs, i) => {
      const target = second * NS + offsetMs * 1e6;
      if (target < ctx.from || target >= ctx.to) return;
      const {thread, activity} = wakes[i % wakes.length];
      const cpu = ctx.place(thread);
      const start = ctx.nearestSample(cpu, target) - busy * rng.between(0.3, 0.7);
      ctx.add(cpu, start, start + busy, thread, activity);
    });
  }
}

/** A thread that works `busyMs`, sleeps `sleepMs`, and again: each wake-up is later
 * than a whole number of sleeps by the work before it. */
export function busyWait(ctx: Schedule): void {
  const {o, rng} = ctx;
  const busy = o.busyMs * 1e6;
  for (let t = ctx.from + o.wakeMs[0] * 1e6; t < ctx.to; t += busy + o.sleepMs * 1e6 + rng.exp(WAKE_LATENCY_NS)) {
    ctx.add(ctx.place(POLLER), t, t + busy, POLLER, BUSY_WAIT);
  }
}

/** Random short requests on every CPU: busy and idle spans of random (exponential)
 * length, in proportion to the utilization at the time. `runner` says which thread
 * runs a request; by default one of the CPU's own two worker threads, so no thread
 * runs on two CPUs at once. */
export function requests(
  ctx: Schedule,
  utilizationAt: (time: number) => number,
  runner: (time: number, cpu: number) => {thread: SynthThread; activity: Activity} = (_, cpu) => ({thread: ctx.threads.worker(cpu, ctx.rng.int(2)), activity: REQUEST}),
): void {
  const {o, rng} = ctx;
  const mean = o.requestMs * 1e6;
  for (let cpu = 0; cpu < o.cpus; cpu++) {
    let t = ctx.from;
    while (t < ctx.to) {
      const u = utilizationAt(t);
      if (u <= 0) { t += mean; continue; }
      if (u < 1) t += rng.exp((mean * (1 - u)) / u);
      const length = Math.max(MIN_REQUEST_NS, rng.exp(mean));
      const {thread, activity} = runner(t, cpu);
      ctx.add(cpu, t, t + length, thread, activity);
      t += length;
    }
  }
}

/** Episodes at random times: `everySeconds` apart and `episodeMs` long on average. */
export function randomEpisodes(ctx: Schedule): TimeSpan[] {
  const {o, rng} = ctx;
  for (let t = ctx.from + o.everySeconds * NS * rng.between(0.3, 0.7); ; ) {
    const length = o.episodeMs * 1e6 * rng.between(0.6, 1.4);
    if (t + length > ctx.to) break;
    ctx.episodes.push({start: Math.round(t), end: Math.round(t + length)});
    t += length + o.everySeconds * NS * rng.between(0.6, 1.4);
  }
  return ctx.episodes;
}

/** Requests keeping every CPU at the pattern's utilization throughout. */
export function steadyRequests(ctx: Schedule): void {
  const {utilization} = ctx.o;
  requests(ctx, () => utilization);
}
