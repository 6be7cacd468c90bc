// The one model of a timeline read beside a profile: a metric (series of timed values)
// or events (instants and ranges: GC pauses, concurrent phases, log events), in columns
// like the profile's samples. Times are seconds on the log's own clock; ./align.ts maps
// them onto the profile's. Importers (one module per format in this folder) fill it
// through TrackBuilder, line by line.
import type {DiagnosticEntry} from "../profile.js";
import {DiagnosticCounter, type DiagnosticCode} from "../perf/diagnostics.js";
import {StringTable} from "../intern.js";
import {float64Column, int32Column} from "../growable.js";

/** The clock a log's times are on. `monotonic`: CLOCK_MONOTONIC seconds (the clock of
 * `perf record -k CLOCK_MONOTONIC`); `wall`: Unix epoch seconds; `relative`: seconds
 * since something the log does not place (a process's start). */
export type TrackClock = "monotonic" | "wall" | "relative";

export const TRACK_FORMATS = ["jvm-gc", "node-gc", "metrics", "events"] as const;
export type TrackFormat = (typeof TRACK_FORMATS)[number];

/** Instants (duration 0) and ranges, sorted by start. */
export interface TrackEvents {
  length: number;
  /** Seconds on the track's clock. */
  start: Float64Array;
  /** Seconds; 0 for an instant. */
  duration: Float64Array;
  /** String index of the kind (young, mixed, full, remark, cleanup, concurrent,
   * scavenge, mark-compact, event). */
  kind: Int32Array;
  /** String index of the label (`Pause Young (Normal) (G1 Evacuation Pause)`). */
  label: Int32Array;
  /** String index of a detail (a cause, heap sizes, the rest of a log line) or -1. */
  detail: Int32Array;
}

export interface TrackSeries {
  name: string;
  /** Seconds on the track's clock, ascending. */
  time: Float64Array;
  value: Float64Array;
}

export interface Track {
  /** The file it was read from, for messages. */
  source: string;
  /** Its name: the file's name without folders and the format's extensions. */
  name: string;
  format: TrackFormat;
  clock: TrackClock;
  /** How the clock was recognised, for `info` (`JVM decorator timenanos`). */
  clockFrom: string;
  /** The resolution of the log's timestamps, seconds (1e-3 for ms). */
  resolution: number;
  strings: string[];
  events: TrackEvents;
  series: TrackSeries[];
  /** Lines read, and every line skipped or repaired, counted with its line numbers. */
  lines: number;
  diagnostics: DiagnosticEntry[];
}

/** Most records one track holds: a bound on memory whatever the input. */
export const MAX_TRACK_RECORDS = 5_000_000;

export class TrackBuilder {
  readonly diagnostics = new DiagnosticCounter();
  private strings = new StringTable();
  private start = float64Column();
  private duration = float64Column();
  private kind = int32Column();
  private label = int32Column();
  private detail = int32Column();
  private seriesByName = new Map<string, {time: ReturnType<typeof float64Column>; value: ReturnType<typeof float64Column>}>();
  private records = 0;
  resolution = 1e-9;

  constructor(readonly source: string) {}

  /** False once the record budget is spent (the error is counted once). */
  private spend(line: number): boolean {
    if (++this.records <= MAX_TRACK_RECORDS) return true;
    if (!this.diagnostics.has("track-budget")) this.diagnostics.count("track-budget", line, undefined, `reading stopped at ${MAX_TRACK_RECORDS} records, the most one track holds`);
    return false;
  }

  event(line: number, start: number, duration: number, kind: string, label: string, detail?: string): void {
    // A number of hundreds of digits reads as Infinity: never a bar from -Infinity.
    if (!Number.isFinite(start) || !Number.isFinite(duration)) return this.warn("track-range", line, label);
    if (!this.spend(line)) return;
    this.start.push(start);
    this.duration.push(Math.max(0, duration));
    this.kind.push(this.strings.id(kind));
    this.label.push(this.strings.id(label));
    this.detail.push(detail ? this.strings.id(detail) : -1);
  }

  point(line: number, series: string, time: number, value: number): void {
    if (!Number.isFinite(time)) return this.warn("track-range", line, series);
    if (!this.spend(line)) return;
    let s = this.seriesByName.get(series);
    if (!s) this.seriesByName.set(series, (s = {time: float64Column(64), value: float64Column(64)}));
    s.time.push(time);
    s.value.push(value);
  }

  warn(code: DiagnosticCode, line: number, text: string, message?: string): void {
    this.diagnostics.count(code, line, () => text, message);
  }

  finish(o: {format: TrackFormat; clock: TrackClock; clockFrom: string; lines: number; bytes: number; name?: string}): Track {
    const n = this.start.length;
    const order = Array.from({length: n}, (_, i) => i);
    const start = this.start.result(), duration = this.duration.result();
    order.sort((a, b) => start[a] - start[b] || a - b);
    const pick = <T extends Float64Array | Int32Array>(col: T, make: (n: number) => T) => {
      const out = make(n);
      for (let i = 0; i < n; i++) out[i] = col[order[i]];
      return out;
    };
    const events: TrackEvents = {
      length: n,
      start: pick(start, (k) => new Float64Array(k)),
      duration: pick(duration, (k) => new Float64Array(k)),
      kind: pick(this.kind.result(), (k) => new Int32Array(k)),
      label: pick(this.label.result(), (k) => new Int32Array(k)),
      detail: pick(this.detail.result(), (k) => new Int32Array(k)),
    };
    const series: TrackSeries[] = [];
    for (const [name, s] of this.seriesByName) {
      const t = s.time.result(), v = s.value.result();
      const idx = Array.from({length: t.length}, (_, i) => i).sort((a, b) => t[a] - t[b] || a - b);
      series.push({name, time: Float64Array.from(idx, (i) => t[i]), value: Float64Array.from(idx, (i) => v[i])});
    }
    const result = this.diagnostics.result(o.lines, o.bytes);
    return {
      source: this.source, name: o.name ?? trackName(this.source), format: o.format, clock: o.clock, clockFrom: o.clockFrom,
      resolution: this.resolution, strings: this.strings.strings, events, series, lines: o.lines, diagnostics: result.entries,
    };
  }
}

/** A track's records: its events and every series' points (each drawn as one mark). */
export function trackRecords(track: Track): number {
  return track.events.length + track.series.reduce((n, s) => n + s.time.length, 0);
}

/** `latency` of `logs/latency.csv`, `app.gc` of `app.gc.log.gz`. */
export function trackName(source: string): string {
  const base = source.split(/[\\/]/).pop() ?? source;
  return base.replace(/\.gz$/, "").replace(/\.(csv|json|jsonl|log|txt)$/, "") || base;
}

/** Splits text into lines, calling `each(line, number)`; a trailing CR is dropped. */
export function eachLine(text: string, each: (line: string, number: number) => void): number {
  let n = 0, from = 0;
  while (from < text.length) {
    let to = text.indexOf("\n", from);
    if (to < 0) to = text.length;
    n++;
    const line = text.charCodeAt(to - 1) === 13 ? text.slice(from, to - 1) : text.slice(from, to);
    each(line, n);
    from = to + 1;
  }
  return n;
}
