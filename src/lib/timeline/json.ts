// A Track as JSON and back: the report site reads timelines where the profile is read
// (its data loader, in Node) and draws them in the browser, which gets them as this
// form (typed arrays as number arrays; JSON keeps every float64 exactly). What comes
// back is checked, so a damaged member is an error rather than a page drawing nonsense.
import {TRACK_FORMATS, type Track, type TrackClock} from "./track.js";

/** The JSON form (plain arrays in place of typed arrays). */
export interface TrackJson {
  source: string;
  name: string;
  format: Track["format"];
  clock: TrackClock;
  clockFrom: string;
  resolution: number;
  strings: string[];
  events: {start: number[]; duration: number[]; kind: number[]; label: number[]; detail: number[]};
  series: {name: string; time: number[]; value: number[]}[];
  lines: number;
  diagnostics: Track["diagnostics"];
}

export function trackToJson(track: Track): TrackJson {
  const e = track.events;
  return {
    ...track,
    events: {start: Array.from(e.start), duration: Array.from(e.duration), kind: Array.from(e.kind), label: Array.from(e.label), detail: Array.from(e.detail)},
    series: track.series.map((s) => ({name: s.name, time: Array.from(s.time), value: Array.from(s.value)})),
  };
}

const CLOCKS: readonly TrackClock[] = ["monotonic", "wall", "relative"];

/** The Track of a TrackJson; throws naming `where` when it is not one. */
export function trackFromJson(json: unknown, where = "track"): Track {
  const fail = (what: string): never => {
    throw new Error(`${where}: not a timeline track (${what})`);
  };
  const t = json as TrackJson;
  if (typeof t !== "object" || t === null) fail("not an object");
  for (const key of ["source", "name", "clockFrom"] as const) if (typeof t[key] !== "string") fail(`${key} is not text`);
  if (!TRACK_FORMATS.includes(t.format)) fail(`unknown format ${JSON.stringify(t.format)}`);
  if (!CLOCKS.includes(t.clock)) fail(`unknown clock ${JSON.stringify(t.clock)}`);
  if (!Array.isArray(t.strings) || !t.strings.every((s) => typeof s === "string")) fail("strings are not text");
  const numbers = (a: unknown, what: string): number[] => (Array.isArray(a) && a.every((v) => typeof v === "number") ? a : fail(`${what} are not numbers`));
  const e = t.events ?? fail("no events");
  const start = numbers(e.start, "event starts");
  const columns = {duration: numbers(e.duration, "durations"), kind: numbers(e.kind, "kinds"), label: numbers(e.label, "labels"), detail: numbers(e.detail, "details")};
  if (Object.values(columns).some((c) => c.length !== start.length)) fail("event columns of different lengths");
  const string = (i: number, optional: boolean) => (Number.isInteger(i) && i < t.strings.length && (i >= 0 || (optional && i === -1)));
  if (!columns.kind.every((i) => string(i, false)) || !columns.label.every((i) => string(i, false)) || !columns.detail.every((i) => string(i, true))) fail("a string index out of range");
  if (!Array.isArray(t.series)) fail("no series");
  const series = t.series.map((s, k) => {
    if (typeof s?.name !== "string") fail(`series ${k} has no name`);
    const time = numbers(s.time, `series ${k}'s times`), value = numbers(s.value, `series ${k}'s values`);
    if (time.length !== value.length) fail(`series ${k}'s times and values differ in length`);
    return {name: s.name, time: Float64Array.from(time), value: Float64Array.from(value)};
  });
  return {
    source: t.source, name: t.name, format: t.format, clock: t.clock, clockFrom: t.clockFrom,
    resolution: typeof t.resolution === "number" ? t.resolution : 1e-9, strings: t.strings,
    events: {
      length: start.length, start: Float64Array.from(start), duration: Float64Array.from(columns.duration),
      kind: Int32Array.from(columns.kind), label: Int32Array.from(columns.label), detail: Int32Array.from(columns.detail),
    },
    series, lines: typeof t.lines === "number" ? t.lines : 0, diagnostics: Array.isArray(t.diagnostics) ? t.diagnostics : [],
  };
}
