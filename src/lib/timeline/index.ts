// Reading a timeline: the format told by the file's name (NAME.gc.log, NAME.metrics.csv,
// NAME.events.log) or its content, then its importer.
import type {Track, TrackClock, TrackFormat} from "./track.js";
import {isJvmGcLog, readJvmGcLog} from "./jvm-gc.js";
import {isNodeTraceGc, readNodeTraceGc} from "./node-gc.js";
import {readMetricsCsv, readMetricsJson} from "./metrics.js";
import {readEventLog} from "./events.js";

export * from "./track.js";
export * from "./clock.js";
export * from "./align.js";
export * from "./when.js";
export * from "./json.js";
export {readJvmGcLog, pauseKind} from "./jvm-gc.js";
export {readNodeTraceGc} from "./node-gc.js";
export {readMetricsCsv, readMetricsJson, csvFields} from "./metrics.js";
export {readEventLog, DEFAULT_EVENT_PATTERN} from "./events.js";

export interface ReadTrackOptions {
  /** The format; default from the content (GC logs) and the name (.csv, .json). */
  format?: TrackFormat;
  /** Event logs: the pattern with named groups time, label, kind. */
  eventPattern?: string;
  /** JVM logs: the decoration to take times from. */
  clock?: TrackClock;
  /** The formats the file must be in (told by its content and name): a file in
   * another is an error saying what it should have been (a GC log by its name). */
  only?: TrackFormat[];
}

/** What each format is, for messages. */
export const TRACK_FORMAT_NAMES: Record<TrackFormat, string> = {
  "jvm-gc": "a JVM unified GC log (-Xlog:gc)", "node-gc": "Node --trace-gc output", metrics: "a metrics file (CSV or JSON)", events: "an event log",
};

/** The format of a timeline file from its name and first bytes. */
export function trackFormat(source: string, text: string): TrackFormat {
  const start = text.slice(0, 65536);
  if (isJvmGcLog(start)) return "jvm-gc";
  if (isNodeTraceGc(start)) return "node-gc";
  const name = source.replace(/\.gz$/, "");
  if (/\.(csv|json|jsonl)$/i.test(name) || /\.metrics\./.test(name)) return "metrics";
  return "events";
}

/** Reads a timeline from its text. Lines it cannot use are counted in the track's
 * diagnostics; a file that is no timeline at all is an error naming it. */
export function readTrack(text: string, source: string, options: ReadTrackOptions = {}): Track {
  const format = options.format ?? trackFormat(source, text);
  if (options.only && !options.only.includes(format)) throw new Error(`${source}: not ${options.only.map((f) => TRACK_FORMAT_NAMES[f]).join(" or ")}`);
  let track: Track;
  switch (format) {
    case "jvm-gc": track = readJvmGcLog(text, source, {clock: options.clock}); break;
    case "node-gc": track = readNodeTraceGc(text, source); break;
    case "metrics": track = /\.(json|jsonl)(\.gz)?$/i.test(source) || /^\s*[[{]/.test(text) ? readMetricsJson(text, source) : readMetricsCsv(text, source); break;
    case "events": track = readEventLog(text, source, {pattern: options.eventPattern}); break;
  }
  if (track.events.length === 0 && track.series.length === 0) {
    const first = track.diagnostics[0];
    throw new Error(`${source}: no ${format === "metrics" ? "values" : format === "events" ? "events" : "GC pauses"} in it${first?.lines.length ? ` (line ${first.lines[0]}: ${first.message})` : ""}`);
  }
  return track;
}
