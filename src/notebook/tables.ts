// Arquero tables of samples and heat-map cells, for ad-hoc analysis in notebooks and
// data loaders. Columns come straight from the profile's typed arrays; strings are the
// profile's interned strings.
//
//   // CPU samples per second per comm
//   samplesTable(profile).filter((d) => !d.idle).groupby("second", "comm").count()
//   // the top leaf frames inside a selection
//   samplesTable(profile, {selection: [timeRange(12, 14)]})
//     .filter((d) => !d.idle).groupby("leaf").count().orderby(aq.desc("count")).slice(0, 10)
import * as aq from "arquero";
// A notebook's variables hold these tables: tslab names their type through this package.
export type {ColumnTable} from "arquero";
import {idleStacks, type IdleClassifier} from "../lib/idle.js";
import {DEFAULT_ROWS, type Heatmap} from "../lib/heatmap.js";
import type {Profile} from "../lib/profile.js";
import type {Selection} from "../lib/selection.js";
import {accepts, type AnalysisOptions} from "../lib/filter.js";
import {sampleRanges, sampleView} from "../lib/view.js";
import {bucketOf, bucketStart, NS, secondOf} from "../lib/time.js";

export interface SamplesTableOptions {
  /** Rows of the heat map whose bucket the `bucket` column gives (default DEFAULT_ROWS). */
  rows?: number;
  /** Only these samples (default all). */
  selection?: Selection;
  /** The classifier behind the `idle` column (default "default"). */
  idle?: IdleClassifier;
}

/** One row per sample: time (seconds since the origin), second, bucket, stack id,
 * leaf (innermost frame, the comm when there is none), comm, pid, tid, cpu, event,
 * weight, idle. Samples without a timestamp have time, second and bucket null. */
export function samplesTable(profile: Profile, options: SamplesTableOptions = {}): aq.ColumnTable {
  const rows = options.rows ?? DEFAULT_ROWS;
  const {samples, stacks, frames, threads, strings} = profile;
  const idle = idleStacks(profile, options.idle ?? "default");
  const ranges = sampleRanges(profile, options.selection ?? null);
  let n = 0;
  for (let r = 0; r < ranges.length; r += 2) n += ranges[r + 1] - ranges[r];
  const time = new Array<number | null>(n), second = new Array<number | null>(n), bucket = new Array<number | null>(n);
  const stack = new Int32Array(n), cpu = new Int32Array(n), weight = new Float64Array(n);
  const pid = new Array<number | null>(n), tid = new Int32Array(n);
  const leaf = new Array<string>(n), comm = new Array<string>(n), event = new Array<string>(n), isIdle = new Array<boolean>(n);
  let k = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r]; i < ranges[r + 1]; i++, k++) {
      const t = samples.time[i];
      if (Number.isNaN(t)) {
        time[k] = second[k] = bucket[k] = null;
      } else {
        const s = secondOf(t);
        time[k] = t / NS;
        second[k] = s;
        bucket[k] = bucketOf(t - s * NS, rows);
      }
      const st = samples.stack[i], th = samples.thread[i];
      stack[k] = st;
      leaf[k] = strings[frames.name[stacks.frame[st]]];
      comm[k] = strings[threads.comm[th]];
      pid[k] = threads.pid[th] < 0 ? null : threads.pid[th];
      tid[k] = threads.tid[th];
      cpu[k] = samples.cpu[i];
      event[k] = profile.events[samples.event[i]].name;
      weight[k] = samples.weight[i];
      isIdle[k] = idle[st] === 1;
    }
  }
  return aq.table({time, second, bucket, stack, leaf, comm, pid, tid, cpu, event, weight, idle: isIdle});
}

/** One row per heat-map cell (empty cells included): second, bucket, offset_ms (the
 * bucket's start), count, weight. */
export function cellsTable(map: Heatmap): aq.ColumnTable {
  const n = map.columns * map.rows;
  const second = new Int32Array(n), bucket = new Int32Array(n), offsetMs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.floor(i / map.rows), b = i - s * map.rows;
    second[i] = s;
    bucket[i] = b;
    offsetMs[i] = bucketStart(b, map.rows) / 1e6;
  }
  return aq.table({second, bucket, offset_ms: offsetMs, count: Array.from(map.counts), weight: map.weights});
}

export interface PerSecondTableOptions extends AnalysisOptions {
  /** One row per second and comm (default), or per second and thread (pid, tid, comm). */
  by?: "comm" | "thread";
  /** Only these samples (default all). */
  selection?: Selection;
}

/** Samples per second per comm (or per thread), counted as heat maps count them (not
 * idle, the filter applied; a filter naming an unknown comm, pid, tid, CPU or event is
 * an error). Long form, one row per second and comm with samples: second, comm (pid,
 * tid), samples, weight; combinations without samples have no row (pivot and impute
 * for a wide table). Rows by second, then comm (then tid). */
export function perSecondTable(profile: Profile, options: PerSecondTableOptions = {}): aq.ColumnTable {
  const by = options.by ?? "comm";
  if (by !== "comm" && by !== "thread") throw new Error(`perSecondTable: by is "comm" or "thread", not ${JSON.stringify(by)}`);
  const {samples, threads, strings} = profile;
  const view = sampleView(profile, options.selection ?? null, {idle: options.idle, filter: options.filter});
  // Threads of one comm share a group when counting by comm.
  const groupOf = new Int32Array(threads.length);
  const groupThread: number[] = [];
  const byComm = new Map<number, number>();
  for (let t = 0; t < threads.length; t++) {
    if (by === "thread") groupOf[t] = groupThread.push(t) - 1;
    else {
      let g = byComm.get(threads.comm[t]);
      if (g === undefined) byComm.set(threads.comm[t], (g = groupThread.push(t) - 1));
      groupOf[t] = g;
    }
  }
  const groups = groupThread.length;
  const counts = new Map<number, {n: number; w: number}>();
  const {ranges, selector} = view;
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r]; i < ranges[r + 1]; i++) {
      const t = samples.time[i];
      if (Number.isNaN(t) || !accepts(profile, selector, i)) continue;
      const key = secondOf(t) * groups + groupOf[samples.thread[i]];
      const c = counts.get(key);
      if (c) {
        c.n++;
        c.w += samples.weight[i];
      } else counts.set(key, {n: 1, w: samples.weight[i]});
    }
  }
  const rows = [...counts].map(([key, c]) => {
    const g = key % groups, th = groupThread[g];
    return {second: (key - g) / groups, comm: strings[threads.comm[th]], pid: threads.pid[th] < 0 ? null : threads.pid[th], tid: threads.tid[th], samples: c.n, weight: c.w};
  });
  rows.sort((a, b) => a.second - b.second || (a.comm < b.comm ? -1 : a.comm > b.comm ? 1 : 0) || a.tid - b.tid);
  const column = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((row) => row[k]);
  return by === "comm"
    ? aq.table({second: column("second"), comm: column("comm"), samples: column("samples"), weight: column("weight")})
    : aq.table({second: column("second"), comm: column("comm"), pid: column("pid"), tid: column("tid"), samples: column("samples"), weight: column("weight")});
}
