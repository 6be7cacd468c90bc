// The synthesizer's options: what each means, the defaults every pattern starts from,
// and the ranges they must lie in. Times in options are seconds or milliseconds; the
// plan works in nanoseconds.

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

/** The common defaults, then a pattern's own, then the caller's `options` (an
 * undefined value keeps the default); throws naming the first option out of range. */
export function resolveOptions(patternDefaults: SynthOptions, options: SynthOptions = {}): ResolvedSynthOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o: ResolvedSynthOptions = {...COMMON_DEFAULTS, ...patternDefaults, ...defined};
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
