// The subsecond-offset heat map: one column per whole second since the origin, `rows`
// buckets per second (bucket 0 = offset 0, drawn at the bottom), each cell the number
// of counted samples. Bucketing is integer arithmetic on exact nanosecond times. A
// folded map has a column per whole period (10 ms to 1 h) instead, and its rows are
// offsets within the period: a task that runs every 15 minutes becomes a row.
import type {AnalysisOptions} from "./filter.js";
import {checkRows} from "./selection.js";
import {bucketStart, checkPeriod, NS, parsePeriod, periodOf} from "./time.js";
import type {Annotation} from "./annotations.js";
import {durationSeconds, hasTimes, wallClockMs, type Profile} from "./profile.js";
import {viewOf, type SampleView} from "./view.js";

/** Buckets per second of a heat map unless asked otherwise: 20 ms each. */
export const DEFAULT_ROWS = 50;

export interface HeatmapOptions extends AnalysisOptions {
  /** Buckets per column (default DEFAULT_ROWS, 50: 20 ms each at one second). */
  rows?: number;
  /** The time a column spans: seconds (a number) or a period's text ("15m", "500ms",
   * "2.5s", "1h"; see parsePeriod), from 10 ms to 1 h. Default one second. */
  period?: number | string;
}

export interface Heatmap {
  rows: number;
  columns: number;
  /** The time one column spans, in ns (NS, one second, unless folded). */
  period: number;
  /** Samples per cell, column by column: index = column × rows + bucket. */
  counts: Uint32Array;
  /** Summed sample weights (perf periods) per cell, same layout. */
  weights: Float64Array;
  maxCount: number;
  /** Samples counted (not idle, passing the filter, with a timestamp). */
  samples: number;
  /** Perf time (whole seconds) of column 0. */
  origin: number;
  /** Wall-clock time (ms since the epoch) of column 0, when the header has a
   * reference time; else null. */
  wallClock: number | null;
  /** The profile's annotations when the map was made, for renderers to draw. */
  annotations: Annotation[];
  /** The profile's source (file name). */
  source: string;
}

const MAX_CELLS = 50_000_000;

/** Why a profile cannot have a heat map (nor anything else placed in time, such as
 * patterns: `needs` says which), naming its file; null when its samples have times. */
export function untimedReason(profile: Profile, needs = "a heat map needs"): string | null {
  if (hasTimes(profile) && profile.origin !== null) return null;
  const format = profile.header.fields.format;
  return format
    ? `${profile.source}: ${needs} sample timestamps, and this ${format} file has none (flame graphs, collapse and export work)`
    : `${profile.source}: ${needs} sample timestamps; record or print them with \`perf script -F +time\``;
}

/** The heat map of a profile (with `options`' idle classifier and filter), or of a
 * sample view: then only its selection's samples count. */
export function heatmap(source: Profile | SampleView, options: HeatmapOptions = {}): Heatmap {
  const view = viewOf(source, null, options);
  const profile = view.profile;
  const rows = options.rows ?? DEFAULT_ROWS;
  checkRows(rows);
  const period = periodOption(options.period);
  const untimed = untimedReason(profile);
  if (untimed !== null) throw new Error(untimed);
  const origin = profile.origin!; // a profile with times has an origin (untimedReason)
  // The columns cover the whole seconds the profile spans, as an unfolded map does.
  const columns = Math.ceil((durationSeconds(profile) * NS) / period);
  if (columns * rows > MAX_CELLS) {
    throw new Error(`${columns} ${period === NS ? "seconds" : "periods"} × ${rows} rows is over ${MAX_CELLS} cells: use fewer rows${period < NS ? " or a longer period" : ""}`);
  }
  const counts = new Uint32Array(columns * rows);
  const weights = new Float64Array(columns * rows);
  const edges = new Float64Array(rows + 1);
  for (let b = 0; b <= rows; b++) edges[b] = bucketStart(b, rows, period);
  const ranges = view.ranges;
  let samples = 0;
  for (let r = 0; r < ranges.length; r += 2) samples += countCells(counts, weights, view, ranges[r], ranges[r + 1], edges, period, rows);
  let maxCount = 0;
  for (let c = 0; c < counts.length; c++) if (counts[c] > maxCount) maxCount = counts[c];
  return {
    rows, columns, period, counts, weights, maxCount, samples,
    origin, wallClock: wallClockMs(profile, 0), annotations: profile.annotations.slice(), source: profile.source,
  };
}

/** Counts samples [from, end) of the view (in time order) into the cells; returns how
 * many it counted. The hot loop has a function of its own, with nothing after the loop
 * but its result: V8 optimises a running loop (on-stack replacement) and would throw
 * that code away on reaching code after it that had never run (a heat map's first call
 * on a million samples went through three such rounds, 45 → 17 ms from the first to
 * the fourth call). A cell's count and weight are summed in locals and stored when the
 * samples leave it: a store to the cell per sample made each sample wait for the one
 * before (9.7 → 4 ms a million samples). Only the stack is tested when the filter
 * passes every thread, event and CPU, so their columns are not read. */
function countCells(counts: Uint32Array, weights: Float64Array, view: SampleView, from: number, end: number, edges: Float64Array, period: number, rows: number): number {
  const {stackOk, threadOk, eventOk, cpuOk, stacksOnly} = view.selector;
  const {time, weight, stack, thread, event, cpu} = view.profile.samples;
  let column = 0, columnStart = -Infinity, bucket = 0, cell = 0, cellEnd = -Infinity;
  let count = 0, sum = 0, samples = 0;
  for (let i = from; i < end; i++) {
    const t = time[i];
    if (Number.isNaN(t)) break; // untimed samples are sorted last
    if (stackOk[stack[i]] === 0) continue;
    if (!stacksOnly && (threadOk[thread[i]] === 0 || eventOk[event[i]] === 0 || (cpuOk !== null && cpuOk[cpu[i] + 1] === 0))) continue;
    if (t >= cellEnd) {
      counts[cell] += count;
      weights[cell] += sum;
      samples += count;
      count = sum = 0;
      // Times are sorted, so the cell only moves forward: step over bucket edges
      // instead of dividing for every sample. (Times are whole ns below 2^53: the sums
      // and differences are exact.)
      if (t >= columnStart + period) {
        column = periodOf(t, period);
        columnStart = column * period;
        bucket = 0;
      }
      const offset = t - columnStart;
      while (offset >= edges[bucket + 1]) bucket++;
      cell = column * rows + bucket;
      cellEnd = columnStart + edges[bucket + 1];
    }
    count++;
    sum += weight[i];
  }
  if (count > 0) {
    counts[cell] += count;
    weights[cell] += sum;
  }
  return samples + count;
}

/** A heat map's period option as ns (default one second): seconds, or a period's text. */
export function periodOption(period: number | string | undefined): number {
  if (period === undefined) return NS;
  if (typeof period === "string") return parsePeriod(period);
  const ns = Math.round(period * NS);
  checkPeriod(ns, `${period} s`);
  return ns;
}

/** Samples in the cell at (second, bucket). */
export function cellCount(map: Heatmap, second: number, bucket: number): number {
  return second < 0 || second >= map.columns || bucket < 0 || bucket >= map.rows ? 0 : map.counts[second * map.rows + bucket];
}

/** A long series (samples per second) cut to at most `points` values for a sparkline:
 * each value is the busiest second of its run of `binSeconds` seconds, so a burst
 * stays visible however long the profile. A loop, not Math.max(...series): a series of
 * a million seconds would overflow the call stack. */
export function busiestSeconds(perSecond: ArrayLike<number>, points: number): {values: number[]; binSeconds: number} {
  const binSeconds = Math.max(1, Math.ceil(perSecond.length / points));
  const values = new Array<number>(Math.ceil(perSecond.length / binSeconds)).fill(0);
  for (let s = 0; s < perSecond.length; s++) {
    const bin = Math.floor(s / binSeconds);
    if (perSecond[s] > values[bin]) values[bin] = perSecond[s];
  }
  return {values, binSeconds};
}
