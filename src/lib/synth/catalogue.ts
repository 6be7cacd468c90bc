// The catalogue of the seventeen patterns in Brendan Gregg's guide to subsecond-offset
// heat maps ("FlameScope Pattern Recognition", 2018): each pattern's name, how to read
// it, its own option defaults and the schedule that plans its work.
import {NS} from "../time.js";
import {resolveOptions, type ResolvedSynthOptions, type SynthOptions} from "./options.js";
import {
  BLOCKING_IO, CACHE_REBUILD, CACHE_REFRESH, COMPACT, FLUSH_METRICS, GC_MARK, HEARTBEAT, METRICSD, PROBE_CACHE, PROBE_CACHE_WORK, PROBE_DB,
  PROBE_DB_WORK, REQUEST, SEND_HEARTBEAT,
} from "./programs.js";
import {busyWait, periodic, randomEpisodes, requests, steadyRequests, type Schedule} from "./schedule.js";

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

/** A catalogue entry: the pattern as the API describes it, and its schedule, which
 * fills the plan with the pattern's work (a required field, so every pattern has one). */
export interface SynthPattern extends PatternInfo {
  schedule: (ctx: Schedule) => void;
}

const CATALOGUE: readonly SynthPattern[] = [
  {
    name: "one-thread-once", title: "One thread, once per second", function: "flush_metrics",
    description: "A horizontal line: one thread wakes at the same offset every second and works for a few milliseconds; select the line to see what it runs.",
    defaults: {wakeMs: [300]},
    schedule: (ctx) => periodic(ctx, [{thread: METRICSD, activity: FLUSH_METRICS}]),
  },
  {
    name: "one-thread-twice", title: "One thread, twice per second", function: "send_heartbeat",
    description: "Two horizontal lines half a second apart: most likely one thread on a 500 ms timer, as unrelated threads are rarely exactly 500 ms apart.",
    defaults: {wakeMs: [300, 800]},
    schedule: (ctx) => periodic(ctx, [{thread: HEARTBEAT, activity: SEND_HEARTBEAT}]),
  },
  {
    name: "two-threads", title: "Two threads", function: "run_health_probe",
    description: "Two horizontal lines at unrelated offsets: two threads each waking once per second; a flame graph of each line names its thread.",
    defaults: {wakeMs: [260, 700]},
    schedule: (ctx) => periodic(ctx, [{thread: PROBE_DB, activity: PROBE_DB_WORK}, {thread: PROBE_CACHE, activity: PROBE_CACHE_WORK}]),
  },
  {
    name: "busy-wait-once", title: "One busy-wait thread, once per second", function: "busy_wait_spin",
    description: "A diagonal climbing one 20 ms row per column: a thread works about 20 ms and then sleeps a whole second, so every wake-up comes 20 ms later; the slope measures its CPU time per wake-up.",
    defaults: {wakeMs: [100], busyMs: 20, sleepMs: 1000},
    schedule: busyWait,
  },
  {
    name: "busy-wait-twice", title: "One busy-wait thread, twice per second", function: "busy_wait_spin",
    description: "Two parallel diagonals half a second apart, each climbing two rows per column: one busy-wait thread that sleeps 500 ms between bursts of work.",
    defaults: {wakeMs: [100], busyMs: 20, sleepMs: 500},
    schedule: busyWait,
  },
  {
    name: "busy-wait-heavy", title: "One heavy-busy-wait thread", function: "busy_wait_spin",
    description: "A steeper diagonal of thicker segments: about 80 ms of CPU per wake-up, so the line climbs nearly four 20 ms rows per column.",
    defaults: {wakeMs: [100], busyMs: 80, sleepMs: 1000},
    schedule: busyWait,
  },
  {
    name: "busy-wait-light", title: "One less-busy-wait thread", function: "busy_wait_spin",
    description: "A shallow, dotted diagonal: only a few milliseconds of CPU per wake-up, so the line climbs slowly and most bursts fall between samples.",
    defaults: {wakeMs: [100], busyMs: 5, sleepMs: 1000},
    schedule: busyWait,
  },
  {
    name: "busy-wait-every-5s", title: "One busy-wait thread, every 5 seconds", function: "busy_wait_spin",
    description: "A diagonal of dots five columns apart, climbing one row per dot: a busy-wait thread that sleeps 5 s between 20 ms bursts.",
    defaults: {seconds: 120, wakeMs: [100], busyMs: 20, sleepMs: 5000},
    schedule: busyWait,
  },
  {
    name: "cpus-100", title: "CPUs 100% utilized", function: "handle_request",
    description: "Every cell at the maximum: all CPUs busy all the time (an always-empty row is 49 Hz sampling beating against 50 rows, not the workload).",
    defaults: {utilization: 1},
    schedule: steadyRequests,
  },
  {
    name: "cpus-50", title: "CPUs 50% utilized", function: "handle_request",
    description: "An even, structureless scatter of middling cells: random short requests keep the CPUs about half busy.",
    defaults: {utilization: 0.5},
    schedule: steadyRequests,
  },
  {
    name: "cpus-25", title: "CPUs 25% utilized", function: "handle_request",
    description: "A lighter even scatter: random short requests keep the CPUs about a quarter busy.",
    defaults: {utilization: 0.25},
    schedule: steadyRequests,
  },
  {
    name: "cpus-5", title: "CPUs 5% utilized", function: "handle_request",
    description: "Sparse speckles on white: random short requests keep the CPUs about 5% busy.",
    defaults: {utilization: 0.05},
    schedule: steadyRequests,
  },
  {
    name: "load-increasing", title: "Load increasing", function: "handle_request",
    description: "Columns darkening from left to right: the request load rises steadily over two minutes.",
    defaults: {seconds: 120, utilization: 0.02, peakUtilization: 1},
    schedule: (ctx) => {
      const {utilization, peakUtilization} = ctx.o;
      requests(ctx, (t) => utilization + ((peakUtilization - utilization) * (t - ctx.from)) / (ctx.to - ctx.from));
    },
  },
  {
    name: "load-5s-every-30s", title: "Five seconds of load every thirty seconds", function: "compact_segments",
    description: "Dark bands five columns wide every thirty columns over a light scatter: a periodic batch job; select a band to see it.",
    defaults: {seconds: 120, utilization: 0.15, peakUtilization: 0.9, everySeconds: 30, episodeMs: 5000},
    schedule: (ctx) => {
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
  },
  {
    name: "perturbations", title: "Perturbations", function: "gc_mark_heap",
    description: "Short dark bars across an ordinary scatter: every CPU maxed out for a few hundred milliseconds at a time (here garbage collection); select a bar to see the culprit.",
    defaults: {utilization: 0.3, everySeconds: 8, episodeMs: 300},
    schedule: (ctx) => {
      steadyRequests(ctx);
      for (const e of randomEpisodes(ctx)) {
        for (let cpu = 0; cpu < ctx.o.cpus; cpu++) {
          ctx.clear(cpu, e.start, e.end);
          ctx.add(cpu, e.start, e.end, ctx.threads.gcWorker(cpu), GC_MARK);
        }
      }
    },
  },
  {
    name: "cpu-blocking", title: "CPU blocking", function: "blocking_io_wait",
    description: "White gaps a few hundred milliseconds tall in a busy map: all CPUs idle at once because every thread blocked (here on disk reads); CPU samples cannot show off-CPU time, but the last ones before a gap hint at the cause.",
    defaults: {utilization: 0.85, everySeconds: 8, episodeMs: 400},
    schedule: (ctx) => {
      steadyRequests(ctx);
      // Each CPU's worker issues a disk read that misses the page cache (a few ms of
      // kernel work), then every thread waits for the disk.
      for (const e of randomEpisodes(ctx)) {
        for (let cpu = 0; cpu < ctx.o.cpus; cpu++) {
          ctx.clear(cpu, e.start, e.end);
          ctx.add(cpu, e.start, e.start + ctx.rng.between(2e6, 12e6), ctx.threads.worker(cpu, 0), BLOCKING_IO);
        }
      }
    },
  },
  {
    name: "single-threaded-blocking", title: "Single-threaded blocking", function: "cache_refresh_rebuild",
    description: "Pale gaps where only one CPU stays busy: one thread runs while all the others wait for it (here a cache rebuild holding a lock); a flame graph of a gap shows that one thread.",
    defaults: {utilization: 0.85, everySeconds: 8, episodeMs: 400},
    schedule: (ctx) => {
      steadyRequests(ctx);
      for (const e of randomEpisodes(ctx)) {
        for (let cpu = 0; cpu < ctx.o.cpus; cpu++) ctx.clear(cpu, e.start, e.end);
        ctx.add(ctx.place(CACHE_REFRESH), e.start, e.end, CACHE_REFRESH, CACHE_REBUILD);
      }
    },
  },
];

export const PATTERNS: readonly PatternInfo[] = CATALOGUE;

export const PATTERN_NAMES: readonly string[] = PATTERNS.map((p) => p.name);

/** A pattern's catalogue entry, schedule included; throws naming the patterns. */
export function synthPattern(name: string): SynthPattern {
  const pattern = CATALOGUE.find((p) => p.name === name);
  if (!pattern) throw new Error(`unknown pattern ${JSON.stringify(name)} (patterns: ${PATTERN_NAMES.join(", ")})`);
  return pattern;
}

export function patternInfo(name: string): PatternInfo {
  return synthPattern(name);
}

/** A pattern's options: the common defaults, then the pattern's, then `options`. */
export function resolveSynthOptions(name: string, options: SynthOptions = {}): ResolvedSynthOptions {
  return resolveOptions(patternInfo(name).defaults, options);
}
