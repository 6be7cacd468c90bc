// Time series: CSV (a header row naming a time column and value columns; or a long
// table time,series,value) and JSON (an array of {time, value, series?} records, JSON
// lines of them, or a Prometheus query_range answer). What Prometheus, Grafana, Atlas
// or a load generator exports. Timestamps: epoch s/ms/µs/ns or ISO 8601.
import {TrackBuilder, eachLine, type Track, type TrackClock} from "./track.js";
import {parseTimestamp, type Timestamp} from "./clock.js";

const TIME_COLUMN = /^(time|timestamp|ts|t|date|datetime|epoch.*|time_.*)$/i;
const SERIES_COLUMN = /^(series|metric|name|label|__name__)$/i;

/** The fields of a CSV line (RFC 4180 quotes). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = "";
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') { v += '"'; i += 2; } else if (line[i] === '"') { i++; break; } else v += line[i++];
      }
      out.push(v);
      const comma = line.indexOf(",", i);
      i = comma < 0 ? line.length + 1 : comma + 1;
    } else {
      const comma = line.indexOf(",", i);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(i, end).trim());
      i = end + 1;
    }
  }
  return out;
}

class Clocks {
  clock: TrackClock | null = null;
  resolution = 1;
  /** The timestamp, or null (warned) when it is none or on another clock than the first. */
  read(b: TrackBuilder, text: string, line: number, example: string): Timestamp | null {
    const t = parseTimestamp(text);
    if (!t) { b.warn("track-time", line, example); return null; }
    if (this.clock === null) { this.clock = t.clock; this.resolution = t.resolution; }
    if (t.clock !== this.clock) { b.warn("track-time", line, example, "lines with a timestamp on another clock than the first line's (epoch vs. relative seconds) were skipped"); return null; }
    this.resolution = Math.min(this.resolution, t.resolution);
    return t;
  }
}

export function readMetricsCsv(text: string, source: string): Track {
  const b = new TrackBuilder(source);
  const clocks = new Clocks();
  let header: string[] | null = null;
  let timeCol = 0, seriesCol = -1;
  const lines = eachLine(text, (line, n) => {
    if (line.trim() === "" || line.startsWith("#")) return;
    const f = csvFields(line);
    if (header === null) {
      if (parseTimestamp(f[0]) === null) {
        header = f;
        timeCol = Math.max(0, f.findIndex((h) => TIME_COLUMN.test(h)));
        seriesCol = f.findIndex((h, i) => i !== timeCol && SERIES_COLUMN.test(h));
        return;
      }
      header = f.map((_, i) => (i === 0 ? "time" : i === 1 ? "value" : `value${i}`));
    }
    const t = clocks.read(b, f[timeCol] ?? "", n, line);
    if (!t) return;
    for (let i = 0; i < header.length; i++) {
      if (i === timeCol || i === seriesCol) continue;
      const text = f[i] ?? "";
      if (text === "") continue;
      const v = Number(text);
      if (!Number.isFinite(v)) { b.warn("track-value", n, line); continue; }
      const name = seriesCol >= 0 ? (header.length === 3 ? f[seriesCol] : `${f[seriesCol]}.${header[i]}`) : header[i];
      b.point(n, name, t.seconds, v);
    }
  });
  b.resolution = clocks.resolution;
  return b.finish({format: "metrics", clock: clocks.clock ?? "wall", clockFrom: clockText(clocks.clock), lines, bytes: text.length});
}

function clockText(clock: TrackClock | null): string {
  return clock === "relative" ? "numbers below 1e9: seconds the file does not place on any clock" : "epoch or ISO 8601 timestamps (wall clock)";
}

/** JSON: records, JSON lines of records, or Prometheus' {data: {result: [{metric, values}]}}. */
export function readMetricsJson(text: string, source: string): Track {
  const b = new TrackBuilder(source);
  const clocks = new Clocks();
  const record = (r: unknown, n: number) => {
    if (!r || typeof r !== "object" || Array.isArray(r)) return b.warn("track-line", n, JSON.stringify(r) ?? "");
    const o = r as Record<string, unknown>;
    const key = Object.keys(o).find((k) => TIME_COLUMN.test(k));
    const t = key === undefined ? null : clocks.read(b, String(o[key]), n, JSON.stringify(r));
    if (!t) return;
    const seriesKey = Object.keys(o).find((k) => SERIES_COLUMN.test(k));
    for (const [k, raw] of Object.entries(o)) {
      if (k === key || k === seriesKey) continue;
      const v = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
      if (!Number.isFinite(v)) { b.warn("track-value", n, JSON.stringify(r)); continue; }
      b.point(n, seriesKey !== undefined ? (k === "value" ? String(o[seriesKey]) : `${String(o[seriesKey])}.${k}`) : k, t.seconds, v);
    }
  };
  let lines = 0;
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[") || (trimmed.startsWith("{") && /"data"\s*:/.test(trimmed.slice(0, 200)))) {
    lines = eachLine(text, () => {});
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new Error(`${source}: not JSON: ${(e as Error).message}`);
    }
    // A record nested thousands deep overflows the stack when printed (JSON.stringify,
    // String): a warning for that record, as a line of JSON Lines that fails is.
    const recordOf = (r: unknown) => {
      try {
        record(r, 0);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        b.warn("track-line", 0, "(a record nested too deeply to read)");
      }
    };
    const result = (doc as {data?: {result?: unknown}})?.data?.result;
    if (Array.isArray(result)) {
      for (const s of result as {metric?: Record<string, string>; values?: [number, string][]}[]) {
        const m = s.metric ?? {};
        const name = m.__name__ ?? (Object.entries(m).map(([k, v]) => `${k}=${v}`).join(",") || "value");
        for (const [ts, v] of s.values ?? []) recordOf({time: String(ts), [name]: v});
      }
    } else if (Array.isArray(doc)) doc.forEach(recordOf);
    else throw new Error(`${source}: JSON metrics are an array of records or a Prometheus query_range answer`);
  } else {
    lines = eachLine(text, (line, n) => {
      if (line.trim() === "") return;
      try {
        record(JSON.parse(line), n);
      } catch {
        b.warn("track-line", n, line);
      }
    });
  }
  b.resolution = clocks.resolution;
  return b.finish({format: "metrics", clock: clocks.clock ?? "wall", clockFrom: clockText(clocks.clock), lines, bytes: text.length});
}
