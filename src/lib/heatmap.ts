// The subsecond-offset heat map: one column per whole second since the origin, `rows`
// buckets per second (bucket 0 = offset 0, drawn at the bottom), each cell the number
// of counted samples. Bucketing is integer arithmetic on exact nanosecond times.
import {compileSelector, type AnalysisOptions} from "./filter.js";
import {checkRows} from "./selection.js";
import {bucketStart, NS, secondOf} from "./time.js";
import type {Annotation} from "./annotations.js";
import {durationSeconds, hasTimes, wallClockMs, type Profile} from "./profile.js";

export interface HeatmapOptions extends AnalysisOptions {
  /** Buckets per second (default 50: 20 ms each). */
  rows?: number;
}

export interface Heatmap {
  rows: number;
  columns: number;
  /** Samples per cell, column by column: index = second × rows + bucket. */
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

export function heatmap(profile: Profile, options: HeatmapOptions = {}): Heatmap {
  const rows = options.rows ?? 50;
  checkRows(rows);
  if (!hasTimes(profile) || profile.origin === null) {
    throw new Error(`${profile.source}: a heat map needs sample timestamps; record or print them with \`perf script -F +time\``);
  }
  const columns = durationSeconds(profile);
  if (columns * rows > MAX_CELLS) throw new Error(`${columns} seconds × ${rows} rows is over ${MAX_CELLS} cells: use fewer rows`);
  const counts = new Uint32Array(columns * rows);
  const weights = new Float64Array(columns * rows);
  const {stackOk, threadOk, eventOk, cpuOk} = compileSelector(profile, options);
  const {time, weight, stack, thread, event, cpu, length} = profile.samples;
  // Times are sorted, so the cell only moves forward: step over bucket edges instead
  // of dividing for every sample.
  const edges = new Float64Array(rows + 1);
  for (let b = 0; b <= rows; b++) edges[b] = bucketStart(b, rows);
  let second = 0, secondStart = 0, bucket = 0;
  let samples = 0;
  for (let i = 0; i < length; i++) {
    const t = time[i];
    if (Number.isNaN(t)) break; // untimed samples are sorted last
    if (stackOk[stack[i]] === 0 || threadOk[thread[i]] === 0 || eventOk[event[i]] === 0 || (cpuOk !== null && cpuOk[cpu[i] + 1] === 0)) continue;
    if (t >= secondStart + NS) {
      second = secondOf(t);
      secondStart = second * NS;
      bucket = 0;
    }
    const offset = t - secondStart;
    while (offset >= edges[bucket + 1]) bucket++;
    const cell = second * rows + bucket;
    counts[cell]++;
    weights[cell] += weight[i];
    samples++;
  }
  let maxCount = 0;
  for (let c = 0; c < counts.length; c++) if (counts[c] > maxCount) maxCount = counts[c];
  return {
    rows, columns, counts, weights, maxCount, samples,
    origin: profile.origin, wallClock: wallClockMs(profile, 0), annotations: profile.annotations.slice(), source: profile.source,
  };
}

/** Samples in the cell at (second, bucket). */
export function cellCount(map: Heatmap, second: number, bucket: number): number {
  return second < 0 || second >= map.columns || bucket < 0 || bucket >= map.rows ? 0 : map.counts[second * map.rows + bucket];
}
