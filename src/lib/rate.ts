// The sampling rate of a profile, and heat-map rows that match it. perf samples each
// CPU at a fixed period (`perf record -F 49`: every 1/49 s), so a busy CPU puts `rate`
// samples into each second's `rows` cells: when `rows` divides the rate every cell gets
// the same number, and when it does not some rows get one sample fewer every second (49
// samples into 50 rows leave one row empty: a white line through every busy second; 49
// into 100 rows fill every other row: stripes).
import type {Profile} from "./profile.js";
import {NS} from "./time.js";

export interface SamplingRate {
  /** Samples per second per CPU. */
  hz: number;
  /** "header": the recording's command line (`-F N`); "samples": estimated from the
   * intervals between samples of each CPU. */
  source: "header" | "samples";
}

/** `-F N` / `--freq N` of a `perf record` command line, before its `--` (after it come
 * the workload's own arguments); null when it has none (perf's default, `-c` periods,
 * `-F max`). */
export function rateFromCmdline(cmdline: string): number | null {
  const words = cmdline.trim().split(/\s+/);
  const record = words.findIndex((w, i) => w === "record" && i > 0 && /(^|\/)perf[\w.-]*$/.test(words[i - 1]));
  if (record < 0) return null;
  const hz = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : null);
  for (let i = record + 1; i < words.length && words[i] !== "--"; i++) {
    const w = words[i];
    if (w === "-F" || w === "--freq") return hz(words[i + 1]);
    const joined = /^(?:-F|--freq=)(.+)$/.exec(w);
    if (joined) return hz(joined[1]);
  }
  return null;
}

/** Fewest intervals an estimate is made from. */
const MIN_INTERVALS = 20;

/** The sampling rate: the header's `-F` when the command line has one, else estimated
 * from the samples (null when there are too few timed samples to tell). The estimate
 * is the median interval between consecutive samples of one CPU, among the intervals
 * near the shortest ones (an idle CPU that is not sampled leaves longer gaps), rounded
 * to a whole number of hertz when it is within 1 % of one. */
export function samplingRate(profile: Profile): SamplingRate | null {
  const fromHeader = profile.header.cmdline ? rateFromCmdline(profile.header.cmdline) : null;
  if (fromHeader !== null) return {hz: fromHeader, source: "header"};
  // The estimate sorts every interval: once per profile (a page asks more than once).
  if (!estimates.has(profile)) estimates.set(profile, estimate(profile));
  return estimates.get(profile)!;
}

const estimates = new WeakMap<Profile, SamplingRate | null>();

function estimate(profile: Profile): SamplingRate | null {
  const interval = typicalInterval(profile);
  if (interval === null) return null;
  const hz = NS / interval;
  const whole = Math.round(hz);
  return {hz: Math.abs(hz - whole) <= hz * 0.01 ? whole : Math.round(hz * 100) / 100, source: "samples"};
}

/** The typical time (ns) between consecutive samples of the same CPU and event. */
function typicalInterval(profile: Profile): number | null {
  const {time, cpu, event, length} = profile.samples;
  const last = new Map<number, number>();
  const intervals: number[] = [];
  for (let i = 0; i < length; i++) {
    const t = time[i];
    if (Number.isNaN(t)) break; // untimed samples are sorted last
    const key = cpu[i] * 65536 + event[i];
    const before = last.get(key);
    if (before !== undefined && t > before) intervals.push(t - before);
    last.set(key, t);
  }
  if (intervals.length < MIN_INTERVALS) return null;
  const sorted = Float64Array.from(intervals).sort();
  const short = sorted[Math.floor(sorted.length * 0.1)];
  let end = 0;
  while (end < sorted.length && sorted[end] <= short * 1.5) end++;
  return sorted[Math.floor(end / 2)];
}

/** Row counts from `min` to `max` that divide a whole rate: each gives every cell of a
 * busy CPU the same number of samples. Ascending; none for a fractional rate. */
export function matchingRows(hz: number, {min = 10, max = 200}: {min?: number; max?: number} = {}): number[] {
  if (!Number.isInteger(hz)) return [];
  const rows: number[] = [];
  for (let r = min; r <= Math.min(max, hz); r++) if (hz % r === 0) rows.push(r);
  return rows;
}

export interface RowsFit {
  /** Whether `rows` divides the rate. */
  matches: boolean;
  /** What a busy CPU puts into each cell, for people: "a busy CPU puts 1 sample in
   * every cell", "… puts 0 or 1 samples in a cell: 1 row in 50 gets none from it each
   * second". */
  text: string;
  /** The matching row count nearest to `rows` (from matchingRows), if any. */
  suggestion: number | null;
}

/** How `rows` buckets a second sampled at `rate`: evenly, or with rows that get one
 * sample fewer from a busy CPU every second, and the matching row count to use. */
export function rowsFit(rate: SamplingRate, rows: number): RowsFit {
  const hz = rate.hz;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const matches = Number.isInteger(hz) && hz % rows === 0;
  const candidates = matchingRows(hz);
  const suggestion = matches ? rows : candidates.length ? candidates.reduce((a, b) => (Math.abs(b - rows) < Math.abs(a - rows) ? b : a)) : null;
  if (matches) return {matches, text: `a busy CPU puts ${plural(hz / rows, "sample")} in every cell`, suggestion};
  const low = Math.floor(hz / rows);
  const fewer = Number.isInteger(hz) ? rows - (hz % rows) : null;
  const which = fewer === null ? "some rows get" : `${fewer} row${fewer === 1 ? "" : "s"} in ${rows} ${fewer === 1 ? "gets" : "get"}`;
  return {matches, text: `a busy CPU puts ${low} or ${low + 1} samples in a cell: ${which} ${low === 0 ? "none" : `${low} instead of ${low + 1}`} from it each second`, suggestion};
}

/** "49 Hz (perf record -F 49)" / "about 98.5 Hz (estimated from the samples)". */
export function describeRate(rate: SamplingRate): string {
  return rate.source === "header" ? `${rate.hz} Hz (perf record -F ${rate.hz})` : `about ${rate.hz} Hz (estimated from the samples)`;
}
