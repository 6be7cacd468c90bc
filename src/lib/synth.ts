// Synthetic profiles of the seventeen patterns in Brendan Gregg's guide to subsecond-
// offset heat maps ("FlameScope Pattern Recognition", 2018): periodic threads, busy-wait
// diagonals, utilization levels, load changes, perturbations and blocking.
//
// A pattern is a plan: which thread runs on which CPU when (work intervals, ns since the
// profile's origin). The plan is sampled the way `perf record -F 49 -a -g` samples: each
// CPU on its own timer at the same rate, busy or idle; an idle CPU yields the swapper's
// idle-loop stack, a busy one the stack of the thread it runs. The text is what
// `perf script --header` prints. The same options (seed included) give the same text.
import type {Heatmap} from "./heatmap.js";
import {NS} from "./time.js";

// ---- patterns -------------------------------------------------------------------

export interface SynthOptions {
  /** Length of the recording, seconds. */
  seconds?: number;
  cpus?: number;
  /** Samples per second on each CPU (`perf record -F`). */
  hz?: number;
  seed?: number;
  /** Perf time (seconds since boot) when sampling starts: the first sample follows
   * within microseconds, and the heat map's origin is this second. */
  start?: number;
  /** Background kernel work (kworkers, softirqs): the fraction of time each CPU would
   * spend on it, placed only where the pattern leaves the CPU idle. */
  noise?: number;
  /** Periodic threads: the offset (ms) within the second of each wake-up. Busy-wait
   * threads: the offset of the first wake-up. */
  wakeMs?: number[];
  /** CPU time (ms) of each wake-up of a periodic or busy-wait thread. */
  busyMs?: number;
  /** Busy-wait threads: sleep (ms) after each burst of work. */
  sleepMs?: number;
  /** Request load: the fraction of each CPU's time that is busy (for load increasing,
   * the level at the start). */
  utilization?: number;
  /** Load increasing: the level at the end. Bursts of load: the level during a burst. */
  peakUtilization?: number;
  /** Mean CPU time of one request, ms. */
  requestMs?: number;
  /** Bursts, perturbations and blocking: (mean) seconds from one episode to the next. */
  everySeconds?: number;
  /** Bursts, perturbations and blocking: (mean) length of an episode, ms. */
  episodeMs?: number;
}

export type ResolvedSynthOptions = Required<SynthOptions>;

export interface PatternInfo {
  /** Kebab-case name, as the CLI takes it. */
  name: string;
  /** The pattern's title in Gregg's guide. */
  title: string;
  /** The function the pattern's own work runs in: select the pattern's cells and it
   * fills the flame graph. */
  function: string;
  /** How to read the pattern on a heat map, in one sentence. */
  description: string;
  /** This pattern's options that differ from the common defaults. */
  defaults: SynthOptions;
}

const COMMON_DEFAULTS: ResolvedSynthOptions = {
  seconds: 60,
  cpus: 4,
  hz: 49,
  seed: 1,
  start: 5086,
  noise: 0.003,
  wakeMs: [300],
  busyMs: 10,
  sleepMs: 1000,
  utilization: 0.5,
  peakUtilization: 0.9,
  requestMs: 4,
  everySeconds: 8,
  episodeMs: 300,
};

export const PATTERNS: readonly PatternInfo[] = [
  {
    name: "one-thread-once", title: "One thread, once per second", function: "flush_metrics",
    description: "A horizontal line: one thread wakes at the same offset every second and works for a few milliseconds; select the line to see what it runs.",
    defaults: {wakeMs: [300]},
  },
  {
    name: "one-thread-twice", title: "One thread, twice per second", function: "send_heartbeat",
    description: "Two horizontal lines half a second apart: most likely one thread on a 500 ms timer, as unrelated threads are rarely exactly 500 ms apart.",
    defaults: {wakeMs: [300, 800]},
  },
  {
    name: "two-threads", title: "Two threads", function: "run_health_probe",
    description: "Two horizontal lines at unrelated offsets: two threads each waking once per second; a flame graph of each line names its thread.",
    defaults: {wakeMs: [260, 700]},
  },
  {
    name: "busy-wait-once", title: "One busy-wait thread, once per second", function: "busy_wait_spin",
    description: "A diagonal climbing one 20 ms row per column: a thread works about 20 ms and then sleeps a whole second, so every wake-up comes 20 ms later; the slope measures its CPU time per wake-up.",
    defaults: {wakeMs: [100], busyMs: 20, sleepMs: 1000},
  },
  {
    name: "busy-wait-twice", title: "One busy-wait thread, twice per second", function: "busy_wait_spin",
    description: "Two parallel diagonals half a second apart, each climbing two rows per column: one busy-wait thread that sleeps 500 ms between bursts of work.",
    defaults: {wakeMs: [100], busyMs: 20, sleepMs: 500},
  },
  {
    name: "busy-wait-heavy", title: "One heavy-busy-wait thread", function: "busy_wait_spin",
    description: "A steeper diagonal of thicker segments: about 80 ms of CPU per wake-up, so the line climbs nearly four 20 ms rows per column.",
    defaults: {wakeMs: [100], busyMs: 80, sleepMs: 1000},
  },
  {
    name: "busy-wait-light", title: "One less-busy-wait thread", function: "busy_wait_spin",
    description: "A shallow, dotted diagonal: only a few milliseconds of CPU per wake-up, so the line climbs slowly and most bursts fall between samples.",
    defaults: {wakeMs: [100], busyMs: 5, sleepMs: 1000},
  },
  {
    name: "busy-wait-every-5s", title: "One busy-wait thread, every 5 seconds", function: "busy_wait_spin",
    description: "A diagonal of dots five columns apart, climbing one row per dot: a busy-wait thread that sleeps 5 s between 20 ms bursts.",
    defaults: {seconds: 120, wakeMs: [100], busyMs: 20, sleepMs: 5000},
  },
  {
    name: "cpus-100", title: "CPUs 100% utilized", function: "handle_request",
    description: "Every cell at the maximum: all CPUs busy all the time (an always-empty row is 49 Hz sampling beating against 50 rows, not the workload).",
    defaults: {utilization: 1},
  },
  {
    name: "cpus-50", title: "CPUs 50% utilized", function: "handle_request",
    description: "An even, structureless scatter of middling cells: random short requests keep the CPUs about half busy.",
    defaults: {utilization: 0.5},
  },
  {
    name: "cpus-25", title: "CPUs 25% utilized", function: "handle_request",
    description: "A lighter even scatter: random short requests keep the CPUs about a quarter busy.",
    defaults: {utilization: 0.25},
  },
  {
    name: "cpus-5", title: "CPUs 5% utilized", function: "handle_request",
    description: "Sparse speckles on white: random short requests keep the CPUs about 5% busy.",
    defaults: {utilization: 0.05},
  },
  {
    name: "load-increasing", title: "Load increasing", function: "handle_request",
    description: "Columns darkening from left to right: the request load rises steadily over two minutes.",
    defaults: {seconds: 120, utilization: 0.02, peakUtilization: 1},
  },
  {
    name: "load-5s-every-30s", title: "Five seconds of load every thirty seconds", function: "compact_segments",
    description: "Dark bands five columns wide every thirty columns over a light scatter: a periodic batch job; select a band to see it.",
    defaults: {seconds: 120, utilization: 0.15, peakUtilization: 0.9, everySeconds: 30, episodeMs: 5000},
  },
  {
    name: "perturbations", title: "Perturbations", function: "gc_mark_heap",
    description: "Short dark bars across an ordinary scatter: every CPU maxed out for a few hundred milliseconds at a time (here garbage collection); select a bar to see the culprit.",
    defaults: {utilization: 0.3, everySeconds: 8, episodeMs: 300},
  },
  {
    name: "cpu-blocking", title: "CPU blocking", function: "blocking_io_wait",
    description: "White gaps a few hundred milliseconds tall in a busy map: all CPUs idle at once because every thread blocked (here on disk reads); CPU samples cannot show off-CPU time, but the last ones before a gap hint at the cause.",
    defaults: {utilization: 0.85, everySeconds: 8, episodeMs: 400},
  },
  {
    name: "single-threaded-blocking", title: "Single-threaded blocking", function: "cache_refresh_rebuild",
    description: "Pale gaps where only one CPU stays busy: one thread runs while all the others wait for it (here a cache rebuild holding a lock); a flame graph of a gap shows that one thread.",
    defaults: {utilization: 0.85, everySeconds: 8, episodeMs: 400},
  },
];

export const PATTERN_NAMES: readonly string[] = PATTERNS.map((p) => p.name);

export function patternInfo(name: string): PatternInfo {
  const info = PATTERNS.find((p) => p.name === name);
  if (!info) throw new Error(`unknown pattern ${JSON.stringify(name)} (patterns: ${PATTERN_NAMES.join(", ")})`);
  return info;
}

/** A pattern's options: the common defaults, then the pattern's, then `options`. */
export function resolveSynthOptions(name: string, options: SynthOptions = {}): ResolvedSynthOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o: ResolvedSynthOptions = {...COMMON_DEFAULTS, ...patternInfo(name).defaults, ...defined};
  const check = (key: keyof SynthOptions, ok: boolean, what: string) => {
    if (!ok) throw new Error(`${key} must be ${what}, not ${JSON.stringify(o[key])}`);
  };
  const fraction = (v: number) => Number.isFinite(v) && v >= 0 && v <= 1;
  const positive = (v: number) => Number.isFinite(v) && v > 0;
  check("seconds", positive(o.seconds) && o.seconds <= 3600, "a number of seconds from 0 to 3600");
  check("cpus", Number.isInteger(o.cpus) && o.cpus >= 1 && o.cpus <= 128, "a whole number from 1 to 128");
  check("hz", Number.isInteger(o.hz) && o.hz >= 1 && o.hz <= 10_000, "a whole number from 1 to 10000");
  check("seed", Number.isInteger(o.seed) && Math.abs(o.seed) < 2 ** 31, "a whole number");
  check("start", Number.isFinite(o.start) && o.start >= 0 && o.start < 1e6, "a perf time from 0 to 1000000 s");
  check("noise", fraction(o.noise) && o.noise < 1, "a fraction from 0 to below 1");
  check("wakeMs", Array.isArray(o.wakeMs) && o.wakeMs.length > 0 && o.wakeMs.every((w) => w >= 0 && w < 1000), "offsets from 0 to below 1000 ms");
  check("busyMs", positive(o.busyMs) && o.busyMs < 1000, "a time from 0 to below 1000 ms");
  check("sleepMs", positive(o.sleepMs), "a positive time in ms");
  check("utilization", fraction(o.utilization), "a fraction from 0 to 1");
  check("peakUtilization", fraction(o.peakUtilization), "a fraction from 0 to 1");
  check("requestMs", positive(o.requestMs), "a positive time in ms");
  check("everySeconds", positive(o.everySeconds), "a positive number of seconds");
  check("episodeMs", positive(o.episodeMs) && o.episodeMs < o.everySeconds * 1000, "a positive time in ms, shorter than everySeconds");
  return o;
}

// ---- reading the patterns ---------------------------------------------------------

/** The CPU time (ms) of each wake-up of a busy-wait thread, from the slope of its line
 * in rows per column. A thread that works b ms and then sleeps S ms wakes every S + b
 * ms, each time b ms later in the second than a whole number of sleeps would put it
 * (when S divides a second or is whole seconds), so its line climbs r = 1000 b / (S + b)
 * ms per column: b = r S / (1000 - r). `sleepMs` is 1000 for one line, 1000/k for k
 * parallel lines, 5000 for dots five columns apart. Gregg's rule of thumb, busy_time =
 * (1000 / (rows × spacing)) × tan(angle) with spacing the wake-ups per second, is the
 * same for b ≪ S (it reads 74 ms for an 80 ms burst). With square cells the slope is
 * tan(angle) of the drawn line; for cells drawn h/w as tall as wide, divide by h/w. */
/** The subsecond-offset heat-map guide's slope formula, as written there:
 * busy_time = (1000 ms / (rows × spacing)) × tan(angle), with tan(angle) the drawn
 * line's rise over run in rows per column (square cells) and spacing the wake-ups per
 * second (1 for one line, 2 for two, 0.2 for a dot every 5 s). Reads 19.6 ms for a
 * 20 ms burst; `busyWaitMs` is exact for heavy work too. */
export function slopeFormulaMs(tanAngle: number, rows: number, spacing = 1): number {
  return (1000 / (rows * spacing)) * tanAngle;
}

export function busyWaitMs(slopeRowsPerColumn: number, rows: number, sleepMs = 1000): number {
  const climbMs = slopeRowsPerColumn * (1000 / rows);
  return (climbMs * sleepMs) / (1000 - climbMs);
}

export interface DiagonalFit {
  /** Rows climbed per column. */
  slope: number;
  /** Row of the line at column 0 (may be outside 0..rows: the line wraps). */
  intercept: number;
  /** Samples the fit used. */
  samples: number;
}

/** Fits the rising line of a busy-wait pattern to a heat map's cells (filter the map to
 * the thread first: other samples pull the fit). The line wraps from the top row to
 * the bottom, and a thread waking k times a second draws k parallel lines rows/k apart,
 * so the cells are sheared by every candidate slope and folded by rows/k, and the slope
 * that stacks them tightest wins; least squares on the unwrapped cells then refines
 * it. Wake-ups n columns apart stack the same under slopes rows/(k n) apart, so of the
 * slopes that stack them nearly as tightly as the best, the least wins. Finds slopes
 * from 0 to below rows/(2k) rows per column. */
export function fitDiagonal(map: Heatmap, linesPerColumn = 1): DiagonalFit {
  const fold = map.rows / linesPerColumn;
  const xs: number[] = [], ys: number[] = [], ws: number[] = [];
  for (let c = 0; c < map.columns; c++) {
    for (let b = 0; b < map.rows; b++) {
      const n = map.counts[c * map.rows + b];
      if (n > 0) { xs.push(c); ys.push(b + 0.5); ws.push(n); }
    }
  }
  const total = ws.reduce((a, b) => a + b, 0);
  if (xs.length < 2) return {slope: NaN, intercept: NaN, samples: total};
  // How tightly the cells stack once sheared by `slope`: the length of the mean of
  // their folded rows as unit vectors (1 when they all fall on one row).
  const stacking = (slope: number) => {
    let re = 0, im = 0;
    for (let i = 0; i < xs.length; i++) {
      const angle = (2 * Math.PI * (ys[i] - slope * xs[i])) / fold;
      re += ws[i] * Math.cos(angle);
      im += ws[i] * Math.sin(angle);
    }
    return {strength: Math.hypot(re, im) / total, phase: Math.atan2(im, re)};
  };
  const step = fold / (16 * Math.max(1, map.columns));
  const strengths: number[] = [];
  for (let slope = 0; slope < fold / 2; slope += step) strengths.push(stacking(slope).strength);
  const top = Math.max(...strengths);
  const peak = strengths.findIndex((s, i) => s >= 0.9 * top && s >= (strengths[i - 1] ?? -1) && s >= (strengths[i + 1] ?? -1));
  const best = peak * step;
  const offset = (stacking(best).phase * fold) / (2 * Math.PI);
  let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i] + fold * Math.round((best * xs[i] + offset - ys[i]) / fold);
    sw += ws[i]; sx += ws[i] * xs[i]; sy += ws[i] * y; sxx += ws[i] * xs[i] * xs[i]; sxy += ws[i] * xs[i] * y;
  }
  const slope = (sw * sxy - sx * sy) / (sw * sxx - sx * sx);
  return {slope, intercept: (sy - slope * sx) / sw, samples: total};
}

// ---- plans ------------------------------------------------------------------------

export interface SynthThread {
  comm: string;
  pid: number;
  tid: number;
}

/** A frame: a function and the module (DSO) perf names for it. */
export interface SynthFrame {
  name: string;
  module: string;
}

export interface StackVariant {
  /** Relative frequency among the activity's stacks. */
  weight: number;
  /** Frames, outermost first. */
  frames: readonly SynthFrame[];
  /** The leaf's offset when the CPU always waits at one instruction there (the idle
   * loop's halt); else each sample lands anywhere in the leaf. */
  leafOffset?: number;
}

/** What a thread does while it runs: the stacks its samples show. */
export interface Activity {
  /** The function all its stacks pass through. */
  function: string;
  stacks: readonly StackVariant[];
}

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
  const pattern = patternInfo(name);
  const o = resolveSynthOptions(name, options);
  const origin = Math.floor(o.start);
  const from = Math.round((o.start - origin) * 1e6) * 1000;
  const to = from + Math.round(o.seconds * 1e6) * 1000;
  const periodNs = Math.floor(NS / o.hz);
  const sampleTimes = sampleClock(o, from, to, periodNs, new Random(o.seed, "clock"));
  const ctx = new Schedule(o, from, to, sampleTimes, new Random(o.seed, `${name}/schedule`));
  SCHEDULES[pattern.name as keyof typeof SCHEDULES](ctx);
  const work = ctx.finish();
  addNoise(ctx, work, new Random(o.seed, `${name}/noise`));
  return {pattern, options: o, origin, periodNs, sampleTimes, work, episodes: ctx.episodes};
}

/** perf's cpu-clock timers: one per CPU, started microseconds apart, each firing every
 * period a few microseconds late (sometimes tens). With 49 Hz, 49 periods are 13 ns
 * short of a second, so a CPU is sampled at nearly the same offsets every second. */
function sampleClock(o: ResolvedSynthOptions, from: number, to: number, periodNs: number, rng: Random): Float64Array[] {
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
class Schedule {
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
    let lo = 0, hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid] < time) lo = mid + 1;
      else hi = mid;
    }
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

// Each schedule fills the plan for one pattern.

/** Threads waking at fixed offsets each second for `busyMs`. Work much shorter than the
 * sampling period is caught every second or never, because the sampling phase barely
 * moves from second to second; so each wake-up is placed around the sample instant
 * nearest its offset, as a pattern worth showing is one the profile caught. */
function periodic(ctx: Schedule, wakes: {thread: SynthThread; activity: Activity}[]): void {
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
function busyWait(ctx: Schedule): void {
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
function requests(
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
function randomEpisodes(ctx: Schedule): TimeSpan[] {
  const {o, rng} = ctx;
  for (let t = ctx.from + o.everySeconds * NS * rng.between(0.3, 0.7); ; ) {
    const length = o.episodeMs * 1e6 * rng.between(0.6, 1.4);
    if (t + length > ctx.to) break;
    ctx.episodes.push({start: Math.round(t), end: Math.round(t + length)});
    t += length + o.everySeconds * NS * rng.between(0.6, 1.4);
  }
  return ctx.episodes;
}

const constant = (u: number) => () => u;

const SCHEDULES = {
  "one-thread-once": (ctx: Schedule) => periodic(ctx, [{thread: METRICSD, activity: FLUSH_METRICS}]),
  "one-thread-twice": (ctx: Schedule) => periodic(ctx, [{thread: HEARTBEAT, activity: SEND_HEARTBEAT}]),
  "two-threads": (ctx: Schedule) => periodic(ctx, [{thread: PROBE_DB, activity: PROBE_DB_WORK}, {thread: PROBE_CACHE, activity: PROBE_CACHE_WORK}]),
  "busy-wait-once": busyWait,
  "busy-wait-twice": busyWait,
  "busy-wait-heavy": busyWait,
  "busy-wait-light": busyWait,
  "busy-wait-every-5s": busyWait,
  "cpus-100": (ctx: Schedule) => requests(ctx, constant(ctx.o.utilization)),
  "cpus-50": (ctx: Schedule) => requests(ctx, constant(ctx.o.utilization)),
  "cpus-25": (ctx: Schedule) => requests(ctx, constant(ctx.o.utilization)),
  "cpus-5": (ctx: Schedule) => requests(ctx, constant(ctx.o.utilization)),
  "load-increasing": (ctx: Schedule) => {
    const {utilization, peakUtilization} = ctx.o;
    requests(ctx, (t) => utilization + ((peakUtilization - utilization) * (t - ctx.from)) / (ctx.to - ctx.from));
  },
  "load-5s-every-30s": (ctx: Schedule) => {
    const {o, rng} = ctx;
    for (let t = ctx.from + (o.everySeconds * NS) / 3; t < ctx.to; t += o.everySeconds * NS) {
      ctx.episodes.push({start: Math.round(t), end: Math.min(ctx.to, Math.round(t + o.episodeMs * 1e6))});
    }
    const inBurst = (t: number) => ctx.episodes.some((e) => e.start <= t && t < e.end);
    // During a burst the requests go on; the batch job takes the rest of the load.
    const batchShare = o.peakUtilization > 0 ? Math.max(0, 1 - o.utilization / o.peakUtilization) : 0;
    requests(ctx, (t) => (inBurst(t) ? o.peakUtilization : o.utilization), (t, cpu) =>
      inBurst(t) && rng.chance(batchShare)
        ? {thread: ctx.threads.compactor(cpu), activity: COMPACT}
        : {thread: ctx.threads.worker(cpu, rng.int(2)), activity: REQUEST});
  },
  "perturbations": (ctx: Schedule) => {
    requests(ctx, constant(ctx.o.utilization));
    for (const e of randomEpisodes(ctx)) {
      for (let cpu = 0; cpu < ctx.o.cpus; cpu++) {
        ctx.clear(cpu, e.start, e.end);
        ctx.add(cpu, e.start, e.end, ctx.threads.gcWorker(cpu), GC_MARK);
      }
    }
  },
  "cpu-blocking": (ctx: Schedule) => {
    requests(ctx, constant(ctx.o.utilization));
    // Each CPU's worker issues a disk read that misses the page cache (a few ms of
    // kernel work), then every thread waits for the disk.
    for (const e of randomEpisodes(ctx)) {
      for (let cpu = 0; cpu < ctx.o.cpus; cpu++) {
        ctx.clear(cpu, e.start, e.end);
        ctx.add(cpu, e.start, e.start + ctx.rng.between(2e6, 12e6), ctx.threads.worker(cpu, 0), BLOCKING_IO);
      }
    }
  },
  "single-threaded-blocking": (ctx: Schedule) => {
    requests(ctx, constant(ctx.o.utilization));
    for (const e of randomEpisodes(ctx)) {
      for (let cpu = 0; cpu < ctx.o.cpus; cpu++) ctx.clear(cpu, e.start, e.end);
      ctx.add(ctx.place(CACHE_REFRESH), e.start, e.end, CACHE_REFRESH, CACHE_REBUILD);
    }
  },
} satisfies Record<string, (ctx: Schedule) => void>;

/** Short kernel work in the pattern's idle time, as on any real machine: each CPU's own
 * kworker and ksoftirqd threads, so none runs on two CPUs at once. */
function addNoise(ctx: Schedule, work: WorkInterval[][], rng: Random): void {
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

// ---- threads and stacks --------------------------------------------------------------

const KERNEL = "[kernel.kallsyms]";
const LIBC = "/usr/lib/x86_64-linux-gnu/libc.so.6";
const VDSO = "[vdso]";

const inModule = (module: string) => (...names: string[]): SynthFrame[] => names.map((name) => ({name, module}));
const kernel = inModule(KERNEL);
const libc = inModule(LIBC);

const THREAD_START = libc("clone3", "start_thread");
const mainStart = (binary: string) => [...inModule(binary)("_start"), ...libc("__libc_start_main_impl", "__libc_start_call_main"), ...inModule(binary)("main")];
const SYSCALL = kernel("entry_SYSCALL_64_after_hwframe", "do_syscall_64", "x64_sys_call");
const TCP_WRITE = [...SYSCALL, ...kernel("__x64_sys_write", "ksys_write", "vfs_write", "sock_write_iter", "sock_sendmsg", "tcp_sendmsg", "tcp_sendmsg_locked", "tcp_push", "__tcp_push_pending_frames", "tcp_write_xmit")];
const TCP_READ = [...SYSCALL, ...kernel("__x64_sys_read", "ksys_read", "vfs_read", "sock_read_iter", "sock_recvmsg", "tcp_recvmsg", "tcp_recvmsg_locked", "skb_copy_datagram_iter", "__skb_datagram_iter", "_copy_to_iter", "rep_movs_alternative")];
const UDP_SEND = [...SYSCALL, ...kernel("__x64_sys_sendto", "__sys_sendto", "udp_sendmsg", "udp_send_skb", "ip_send_skb", "ip_output", "ip_finish_output2", "__dev_queue_xmit")];
const PROC_READ = [...SYSCALL, ...kernel("__x64_sys_read", "ksys_read", "vfs_read", "seq_read", "seq_read_iter", "show_stat")];
const DISK_READ = [...SYSCALL, ...kernel("__x64_sys_pread64", "vfs_read", "ext4_file_read_iter", "filemap_read", "filemap_get_pages", "page_cache_sync_ra", "page_cache_ra_unbounded", "read_pages", "ext4_mpage_readpages", "submit_bio", "submit_bio_noacct_nocheck", "blk_mq_submit_bio")];
const DISK_WRITE = [...SYSCALL, ...kernel("__x64_sys_pwrite64", "vfs_write", "ext4_buffered_write_iter", "generic_perform_write", "copy_page_from_iter_atomic", "rep_movs_alternative")];
const KTHREAD = kernel("ret_from_fork_asm", "ret_from_fork", "kthread");

/** An activity whose stacks all start with `base`, which passes through `fn`; each
 * variant is a weight, the frames after `base` (a sample may land in `fn` itself) and
 * optionally a fixed leaf offset. */
function activity(fn: string, base: SynthFrame[], ...variants: [number, SynthFrame[], number?][]): Activity {
  const stacks = variants.map(([weight, tail, leafOffset]): StackVariant => {
    const frames = [...base, ...tail];
    return leafOffset === undefined ? {weight, frames} : {weight, frames, leafOffset};
  });
  return {function: fn, stacks};
}

const METRICSD = {comm: "metricsd", pid: 1874, tid: 1874};
const metricsd = inModule("/usr/local/bin/metricsd");
const FLUSH_METRICS = activity("flush_metrics", [...mainStart("/usr/local/bin/metricsd"), ...metricsd("run_event_loop", "on_timer_tick", "flush_metrics")],
  [4, metricsd("aggregate_histograms")],
  [2, metricsd("aggregate_histograms", "histogram_merge")],
  [2, [...metricsd("encode_metric_batch"), ...libc("__memmove_avx_unaligned_erms")]],
  [2, [...metricsd("send_metric_batch"), ...libc("__libc_sendto"), ...UDP_SEND]],
  [1, []]);

const HEARTBEAT = {comm: "heartbeat", pid: 2210, tid: 2237};
const agentd = inModule("/opt/agent/bin/agentd");
const SEND_HEARTBEAT = activity("send_heartbeat", [...THREAD_START, ...agentd("heartbeat_thread", "send_heartbeat")],
  [3, [...agentd("collect_status", "read_proc_stat"), ...libc("__libc_read"), ...PROC_READ]],
  [3, agentd("serialize_status")],
  [1, agentd("serialize_status", "json_write_number")],
  [2, [...agentd("post_status"), ...libc("__libc_write"), ...TCP_WRITE]],
  [1, []]);

const PROBE_DB = {comm: "probe-db", pid: 1650, tid: 1661};
const PROBE_CACHE = {comm: "probe-cache", pid: 1650, tid: 1662};
const healthd = inModule("/usr/sbin/healthd");
const PROBE_BASE = [...THREAD_START, ...healthd("probe_thread_main", "run_health_probe")];
const PROBE_DB_WORK = activity("run_health_probe", PROBE_BASE,
  [3, [...healthd("probe_postgres", "pq_send_query"), ...libc("__libc_write"), ...TCP_WRITE]],
  [3, healthd("probe_postgres", "parse_probe_reply")],
  [1, healthd("record_probe_result")]);
const PROBE_CACHE_WORK = activity("run_health_probe", PROBE_BASE,
  [3, [...healthd("probe_redis", "resp_read_reply"), ...libc("__libc_read"), ...TCP_READ]],
  [3, healthd("probe_redis", "resp_encode_command")],
  [1, healthd("record_probe_result")]);

const POLLER = {comm: "poller", pid: 3120, tid: 3120};
const poller = inModule("/opt/poller/bin/poller");
const BUSY_WAIT = activity("busy_wait_spin", [...mainStart("/opt/poller/bin/poller"), ...poller("poll_loop", "busy_wait_spin")],
  [6, []],
  [3, [...libc("clock_gettime"), ...inModule(VDSO)("__vdso_clock_gettime")]],
  [1, poller("check_deadline")]);

const API = "/opt/api/bin/api-server";
const API_PID = 2480;
const api = inModule(API);
const WORKER_BASE = [...THREAD_START, ...api("worker_main", "serve_connection", "handle_request")];
const REQUEST = activity("handle_request", WORKER_BASE,
  [3, api("parse_http_request")],
  [2, api("parse_http_request", "parse_headers")],
  [3, api("route_request", "query_user_profile", "hash_lookup")],
  [2, api("render_json", "json_escape_string")],
  [1, [...api("render_json"), ...libc("__memmove_avx_unaligned_erms")]],
  [1, libc("malloc", "_int_malloc")],
  [2, [...api("write_response"), ...libc("__libc_write"), ...TCP_WRITE]],
  [1, [...api("read_request"), ...libc("__libc_read"), ...TCP_READ]]);
const BLOCKING_IO = activity("blocking_io_wait", [...WORKER_BASE, ...api("load_user_record", "blocking_io_wait"), ...libc("__libc_pread64")],
  [3, DISK_READ],
  [1, DISK_READ.slice(0, -7)],
  [1, DISK_READ.slice(0, -3)]);
const COMPACT = activity("compact_segments", [...THREAD_START, ...api("compactor_main", "compact_segments")],
  [4, api("merge_sorted_runs")],
  [2, api("merge_sorted_runs", "compare_keys")],
  [2, api("crc32c_update")],
  [1, [...api("write_segment"), ...libc("__libc_pwrite64"), ...DISK_WRITE]]);
const GC_MARK = activity("gc_mark_heap", [...THREAD_START, ...api("gc_worker_main", "gc_mark_heap")],
  [5, api("gc_mark_object")],
  [3, api("gc_mark_object", "gc_push_children")],
  [1, api("gc_scan_roots")],
  [1, []]);
const CACHE_REFRESH = {comm: "cache-refresh", pid: API_PID, tid: API_PID + 3};
const CACHE_REBUILD = activity("cache_refresh_rebuild", [...THREAD_START, ...api("cache_refresh_main", "cache_refresh_rebuild")],
  [4, api("rebuild_index_entry", "hash_bytes")],
  [2, api("rebuild_index_entry")],
  [2, [...api("sort_entries"), ...libc("qsort_r", "msort_with_tmp.part.0")]],
  [1, libc("malloc", "_int_malloc")]);

const KWORKER = activity("process_one_work", [...KTHREAD, ...kernel("worker_thread", "process_one_work")],
  [3, kernel("vmstat_update", "refresh_cpu_vm_stats")],
  [2, kernel("psi_avgs_work", "collect_percpu_times")],
  [1, kernel("flush_memcg_stats_dwork", "do_flush_stats", "cgroup_rstat_flush")]);
const SOFTIRQ = activity("handle_softirqs", [...KTHREAD, ...kernel("smpboot_thread_fn", "run_ksoftirqd", "handle_softirqs")],
  [3, kernel("rcu_core", "rcu_do_batch", "kmem_cache_free")],
  [2, kernel("net_rx_action", "__napi_poll", "virtnet_poll")],
  [1, kernel("run_timer_softirq", "__run_timers", "call_timer_fn")]);

const IDLE_LOOP = kernel("cpu_startup_entry", "do_idle", "cpuidle_enter", "cpuidle_enter_state", "default_enter_idle", "default_idle", "pv_native_safe_halt");
/** The idle task's stacks (the boot CPU's idle task is the boot thread; the others are
 * started by start_secondary): halted, or entering the halt. Every leaf is an idle-loop
 * function and every stack has a cpuidle frame, so both the default idle classifier
 * and FlameScope's drop all of them. */
const idleActivity = (bootCpu: boolean) => {
  const base = bootCpu ? kernel("common_startup_64", "x86_64_start_kernel", "start_kernel", "rest_init") : kernel("common_startup_64", "start_secondary");
  return activity("do_idle", base, [96, IDLE_LOOP, 0xb], [4, IDLE_LOOP.slice(0, -3)]);
};
const IDLE_BOOT = idleActivity(true);
const IDLE_SECONDARY = idleActivity(false);
const SWAPPER = {comm: "swapper", pid: 0, tid: 0};

/** Threads that exist once per CPU, made on first use so that each is one object
 * (placement tracks threads by identity). Thread ids follow creation order: the
 * kernel's per-CPU threads at boot; the API server's workers, compactors and GC
 * workers after its main thread and three helpers. */
class Threads {
  private made = new Map<string, SynthThread>();
  constructor(private cpus: number) {}

  private thread(comm: string, pid: number, tid: number): SynthThread {
    let t = this.made.get(comm);
    if (!t) this.made.set(comm, (t = {comm, pid, tid}));
    return t;
  }
  worker(cpu: number, index: number): SynthThread {
    const n = cpu * 2 + index;
    return this.thread(`api-worker-${n}`, API_PID, API_PID + 4 + n);
  }
  compactor(cpu: number): SynthThread {
    return this.thread(`compactor-${cpu}`, API_PID, API_PID + 4 + 2 * this.cpus + cpu);
  }
  gcWorker(cpu: number): SynthThread {
    return this.thread(`gc-worker-${cpu}`, API_PID, API_PID + 4 + 3 * this.cpus + cpu);
  }
  ksoftirqd(cpu: number): SynthThread {
    return this.thread(`ksoftirqd/${cpu}`, 14 + 8 * cpu, 14 + 8 * cpu);
  }
  kworker(cpu: number): SynthThread {
    return this.thread(`kworker/${cpu}:1`, 17 + 8 * cpu, 17 + 8 * cpu);
  }
}

// ---- perf script text -----------------------------------------------------------------

/** Wall-clock time (µs since the Unix epoch) of the recording's reference time. */
const REFERENCE_EPOCH_US = 1_795_257_666_078_083;
/** perf took its reference time this long before the first sample, ns. */
const REFERENCE_LEAD_NS = 3_104_217;

export function synthesize(name: string, options: SynthOptions = {}): string {
  return perfScriptText(synthPlan(name, options));
}

/** The plan as `perf script --header` prints its recording: samples of all CPUs in time
 * order, each with its callchain innermost first. */
export function perfScriptText(plan: SynthPlan): string {
  const {options: o, origin, periodNs, sampleTimes} = plan;
  const rng = new Random(o.seed, `${plan.pattern.name}/stacks`);
  const order: {time: number; cpu: number}[] = [];
  sampleTimes.forEach((times, cpu) => times.forEach((time) => order.push({time, cpu})));
  order.sort((a, b) => a.time - b.time || a.cpu - b.cpu);

  const period = String(periodNs).padStart(10);
  const body: string[] = [];
  let recordBytes = 0;
  for (const {time, cpu} of order) {
    const work = workAt(plan, cpu, time);
    const thread = work ? work.thread : SWAPPER;
    const act = work ? work.activity : cpu === 0 ? IDLE_BOOT : IDLE_SECONDARY;
    const stack = rng.weighted(act.stacks);
    const frames = renderedStack(stack);
    const leaf = stack.frames[stack.frames.length - 1];
    const leafOffset = stack.leafOffset ?? rng.int(functionSize(leaf));
    body.push(
      `${thread.comm} ${String(thread.tid).padStart(5)} [${String(cpu).padStart(3, "0")}] ${perfTime(origin, time).padStart(12)}: ${period} cpu-clock:ppp: \n` +
        `${frameLine(leaf, leafOffset)}${frames.callers}\n`,
    );
    // perf.data record size: header, ip, pid/tid, time, id, cpu, period, callchain.
    recordBytes += 64 + 8 * (stack.frames.length + 2);
  }
  const first = order.length ? order[0].time : 0;
  const last = order.length ? order[order.length - 1].time : 0;
  return headerText(plan, first, last, recordBytes) + body.join("");
}

/** `5086.000012` for ns since the origin (whole µs), as perf prints times. */
function perfTime(origin: number, ns: number): string {
  const second = Math.floor(ns / NS);
  return `${origin + second}.${String((ns - second * NS) / 1000).padStart(6, "0")}`;
}

function headerText(plan: SynthPlan, first: number, last: number, dataSize: number): string {
  const {options: o, origin} = plan;
  const cpuIds = (base: number) => `{ ${Array.from({length: o.cpus}, (_, i) => base + i).join(", ")} }`;
  const referenceNs = origin * NS + first - REFERENCE_LEAD_NS;
  const referenceText = `${Math.floor(referenceNs / NS)}.${String(referenceNs % NS).padStart(9, "0")}`;
  const endEpochMs = REFERENCE_EPOCH_US / 1000 + (last - first + REFERENCE_LEAD_NS) / 1e6;
  const dataOffset = 424 + 16 * o.cpus;
  const attr = `{ sample_period, sample_freq } = ${o.hz}, sample_type = IP|TID|TIME|CALLCHAIN|ID|CPU|PERIOD, read_format = ID|LOST`;
  return [
    "# ========",
    `# captured on    : ${ctime(endEpochMs)}`,
    "# header version : 1",
    `# data offset    : ${dataOffset}`,
    `# data size      : ${dataSize}`,
    `# feat offset    : ${dataOffset + dataSize}`,
    "# hostname : synth-01",
    "# os release : 6.8.0-49-generic",
    "# perf version : 6.8.12",
    "# arch : x86_64",
    `# nrcpus online : ${o.cpus}`,
    `# nrcpus avail : ${o.cpus}`,
    "# cpudesc : Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz",
    "# cpuid : GenuineIntel,6,106,6",
    "# total memory : 32386412 kB",
    `# cmdline : /usr/bin/perf record -F ${o.hz} -a -g -k CLOCK_MONOTONIC -- sleep ${Math.ceil(o.seconds)} `,
    `# event : name = cpu-clock:ppp, , id = ${cpuIds(12)}, type = 1, size = 128, ${attr}, disabled = 1, inherit = 1, freq = 1, precise_ip = 3, sample_id_all = 1, use_clockid = 1, clockid = 1`,
    `# event : name = dummy:HG, , id = ${cpuIds(12 + o.cpus)}, type = 1, size = 128, config = 0x9, ${attr}, inherit = 1, mmap = 1, comm = 1, freq = 1, task = 1, sample_id_all = 1, mmap2 = 1, comm_exec = 1, ksymbol = 1, bpf_event = 1, use_clockid = 1, clockid = 1`,
    "# CPU_TOPOLOGY info available, use -I to display",
    "# NUMA_TOPOLOGY info available, use -I to display",
    "# pmu mappings: cpu = 4, software = 1, power = 24, uprobe = 7, breakpoint = 5, tracepoint = 2, kprobe = 6, msr = 8",
    "# CACHE info available, use -I to display",
    `# time of first sample : ${perfTime(origin, first)}`,
    `# time of last sample : ${perfTime(origin, last)}`,
    `# sample duration : ${((last - first) / 1e6).toFixed(3).padStart(10)} ms`,
    "# MEM_TOPOLOGY info available, use -I to display",
    "# clockid frequency: 1000 MHz",
    "# clockid: monotonic (1)",
    `# reference time: ${isoLocal(REFERENCE_EPOCH_US)} = ${Math.floor(REFERENCE_EPOCH_US / 1e6)}.${String(REFERENCE_EPOCH_US % 1e6).padStart(6, "0")} (TOD) = ${referenceText} (monotonic)`,
    "# missing features: TRACING_DATA BRANCH_STACK GROUP_DESC AUXTRACE STAT DIR_FORMAT COMPRESSED CPU_PMU_CAPS HYBRID_TOPOLOGY PMU_CAPS ",
    "# ========",
    "#",
  ].join("\n") + "\n";
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** C's ctime() in UTC: `Sat Nov 21 10:41:03 2026`. */
function ctime(epochMs: number): string {
  const d = new Date(epochMs);
  const clock = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${clock} ${d.getUTCFullYear()}`;
}

/** `2026-11-21 10:41:06.078083` (UTC) for µs since the epoch. */
function isoLocal(epochUs: number): string {
  const d = new Date(Math.floor(epochUs / 1000));
  const date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  const clock = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${date} ${clock}.${String(epochUs % 1e6).padStart(6, "0")}`;
}

// Symbols: each function gets a fixed address and size in its module, derived from its
// name, so every sample of it prints the same address base.

/** Text ranges [start, size) of the modules; kernel addresses are below 0xffffffff…. */
const MODULE_TEXT: Record<string, [number, number]> = {
  [KERNEL]: [0x81000000, 0x01400000],
  [LIBC]: [0x28000, 0x1a0000],
  [VDSO]: [0x700, 0x600],
};
const APP_TEXT: [number, number] = [0x1100, 0x40000];

function functionStart({name, module}: SynthFrame): number {
  const [start, size] = MODULE_TEXT[module] ?? APP_TEXT;
  return start + ((hash32(`${module}\0${name}`) % size) & ~0xf);
}

function functionSize({name, module}: SynthFrame): number {
  return 0x40 + (hash32(`${module}\0${name}\0size`) % 0x500);
}

function frameLine(fn: SynthFrame, offset: number): string {
  const address = (functionStart(fn) + offset).toString(16);
  return `\t${(fn.module === KERNEL ? `ffffffff${address}` : address).padStart(16)} ${fn.name}+0x${offset.toString(16)} (${fn.module})\n`;
}

/** A stack's frame lines but the leaf's, innermost first: each caller's offset is its
 * call site of the next frame in, fixed per caller and callee. */
const renderedStacks = new WeakMap<StackVariant, {callers: string}>();
function renderedStack(stack: StackVariant): {callers: string} {
  let r = renderedStacks.get(stack);
  if (!r) {
    const {frames} = stack;
    let callers = "";
    for (let i = frames.length - 2; i >= 0; i--) {
      const size = functionSize(frames[i]);
      const callSite = 5 + (hash32(`${frames[i].name}>${frames[i + 1].name}`) % (size - 5));
      callers += frameLine(frames[i], callSite);
    }
    renderedStacks.set(stack, (r = {callers}));
  }
  return r;
}

// ---- randomness -------------------------------------------------------------------------

/** FNV-1a. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32, one independent stream per purpose (the CPUs' clocks, and each
 * pattern's schedule, noise and stacks), so a change in how one part draws numbers
 * leaves the others as they were. */
class Random {
  private state: number;
  constructor(seed: number, stream: string) {
    this.state = (hash32(stream) ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  between(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Exponentially distributed with this mean. */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }
  weighted<T extends {weight: number}>(items: readonly T[]): T {
    let r = this.next() * items.reduce((sum, item) => sum + item.weight, 0);
    for (const item of items) if ((r -= item.weight) < 0) return item;
    return items[items.length - 1];
  }
}
