// What a user checks first about a profile: counts, time span, who ran, where, and how
// the parse went. Shared by `subsecond info`, the notebooks and the report site.
import {idleStacks, type IdleClassifier} from "./idle.js";
import {formatCount, formatWallClock, percent} from "./format.js";
import {formatDiagnostic} from "./perf/diagnostics.js";
import {describeRate, matchingRows, samplingRate, type SamplingRate} from "./rate.js";
import {escapeTerminal} from "./render/escape.js";
import {durationSeconds, perfTimeText, wallClockMs, type DiagnosticEntry, type Profile, type ProfileHeader} from "./profile.js";
import {NS} from "./time.js";

export interface CountRow {
  comm: string;
  pid: number | null;
  tid: number | null;
  samples: number;
  idle: number;
}

export interface ProfileSummary {
  source: string;
  bytes: number;
  lines: number;
  samples: {total: number; idle: number; weight: number};
  events: {name: string; samples: number; callchain: boolean}[];
  /** Absolute perf time (seconds) of x = 0 of heat maps. */
  origin: number | null;
  /** Wall-clock time of the origin (ISO 8601, UTC) when the header has a reference time. */
  originWallClock: string | null;
  firstSample: string | null;
  lastSample: string | null;
  /** Wall-clock times (ISO 8601, UTC, to the millisecond) of the first and last
   * samples, when the header has a reference time. */
  firstSampleWallClock: string | null;
  lastSampleWallClock: string | null;
  /** Samples per second per CPU: the header's -F, else estimated; null when neither. */
  samplingRate: SamplingRate | null;
  /** Seconds from the first to the last sample, exact to the nanosecond. */
  duration: number | null;
  /** Heat-map columns (whole seconds from the origin through the last sample). */
  columns: number;
  cpus: number[];
  /** Samples per comm, as `perf report --sort comm` groups them; most first. */
  comms: CountRow[];
  /** Samples per thread (pid, tid, comm); most first. */
  threads: CountRow[];
  header: Omit<ProfileHeader, "fields" | "events">;
  /** The format read, when it was not perf script text (`V8 .cpuprofile`, `pprof` …). */
  format: string | null;
  diagnostics: DiagnosticEntry[];
}

export interface SummaryOptions {
  idle?: IdleClassifier;
  /** Rows kept in `comms` and `threads` (default 10; Infinity for all). */
  top?: number;
}

export function summarize(profile: Profile, options: SummaryOptions = {}): ProfileSummary {
  const {samples, threads, strings} = profile;
  const top = options.top ?? 10;
  const idle = idleStacks(profile, options.idle ?? "default");
  const perThread = new Float64Array(threads.length);
  const idlePerThread = new Float64Array(threads.length);
  const perEvent = new Float64Array(profile.events.length);
  const cpus = new Set<number>();
  let idleTotal = 0, weight = 0;
  for (let i = 0; i < samples.length; i++) {
    const t = samples.thread[i];
    perThread[t]++;
    perEvent[samples.event[i]]++;
    weight += samples.weight[i];
    if (idle[samples.stack[i]]) { idlePerThread[t]++; idleTotal++; }
    if (samples.cpu[i] >= 0) cpus.add(samples.cpu[i]);
  }

  const threadRows: CountRow[] = [];
  const byComm = new Map<string, CountRow>();
  for (let t = 0; t < threads.length; t++) {
    const comm = strings[threads.comm[t]];
    const pid = threads.pid[t] < 0 ? null : threads.pid[t];
    threadRows.push({comm, pid, tid: threads.tid[t], samples: perThread[t], idle: idlePerThread[t]});
    const row = byComm.get(comm) ?? {comm, pid: null, tid: null, samples: 0, idle: 0};
    row.samples += perThread[t];
    row.idle += idlePerThread[t];
    byComm.set(comm, row);
  }
  const mostFirst = (a: CountRow, b: CountRow) => b.samples - a.samples || (a.comm < b.comm ? -1 : a.comm > b.comm ? 1 : 0);

  const timed = profile.origin !== null;
  let last = -1;
  for (let i = samples.length - 1; i >= 0 && timed; i--) if (!Number.isNaN(samples.time[i])) { last = i; break; }
  const wall = wallClockMs(profile, 0);
  const {fields: _fields, events: _events, ...header} = profile.header;

  return {
    source: profile.source,
    bytes: profile.diagnostics.bytes,
    lines: profile.diagnostics.lines,
    samples: {total: samples.length, idle: idleTotal, weight},
    events: profile.events.map((e, i) => ({name: e.name, samples: perEvent[i], callchain: e.callchain})),
    origin: profile.origin,
    originWallClock: wall === null ? null : new Date(wall).toISOString(),
    firstSample: timed ? perfTimeText(profile, samples.time[0]) : null,
    lastSample: timed ? perfTimeText(profile, samples.time[last]) : null,
    firstSampleWallClock: timed && wall !== null ? new Date(wall + samples.time[0] / 1e6).toISOString() : null,
    lastSampleWallClock: timed && wall !== null ? new Date(wall + samples.time[last] / 1e6).toISOString() : null,
    samplingRate: samplingRate(profile),
    duration: timed ? (samples.time[last] - samples.time[0]) / NS : null,
    columns: durationSeconds(profile),
    cpus: [...cpus].sort((a, b) => a - b),
    comms: [...byComm.values()].sort(mostFirst).slice(0, top),
    threads: threadRows.sort(mostFirst).slice(0, top),
    header,
    format: profile.header.fields.format ?? null,
    diagnostics: profile.diagnostics.entries,
  };
}

// ---- text -----------------------------------------------------------------------




function table(rows: CountRow[], total: number, withIds: boolean): string[] {
  const head = withIds ? ["samples", "%", "idle", "pid", "tid", "comm"] : ["samples", "%", "idle", "comm"];
  const body = rows.map((r) => {
    const cells = [formatCount(r.samples), percent(r.samples, total), formatCount(r.idle)];
    if (withIds) cells.push(r.pid === null ? "?" : String(r.pid), String(r.tid));
    cells.push(escapeTerminal(r.comm));
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((c) => c[i].length)));
  const line = (cells: string[]) =>
    "  " + cells.map((c, i) => (i === cells.length - 1 ? c : c.padStart(widths[i]))).join("  ");
  return [line(head), ...body.map(line)];
}

/** The text `subsecond info` prints. Every name in it comes from the profile and is
 * escaped for terminals (a comm can hold the escape sequence that clears a screen). */
export function formatSummary(s: ProfileSummary): string {
  const out: string[] = [];
  const field = (name: string, value: string) => out.push(`${name.padEnd(14)}${escapeTerminal(value)}`);
  const h = s.header;
  field("file", `${s.source} (${formatCount(s.bytes)} bytes${s.format ? "" : `, ${formatCount(s.lines)} lines`})`);
  if (s.format) field("format", s.format);
  if (h.hostname) {
    const cpus = h.nrcpusOnline !== undefined ? `, ${h.nrcpusOnline} CPUs online` : "";
    field("host", `${h.hostname} (${[h.osRelease, h.arch].filter(Boolean).join(", ")}${cpus})`);
  }
  if (h.perfVersion) field("perf", h.perfVersion);
  if (h.cmdline) field("command", h.cmdline);
  if (h.capturedOn) field("captured on", h.capturedOn);
  if (h.cpuDesc) field("cpu", h.cpuDesc);
  field("samples", `${formatCount(s.samples.total)} (idle ${formatCount(s.samples.idle)} = ${percent(s.samples.idle, s.samples.total)})`);
  for (const e of s.events) {
    field(e === s.events[0] ? "events" : "", `${e.name}: ${formatCount(e.samples)} samples${e.callchain ? "" : " (no call graphs)"}`);
  }
  if (s.origin === null) {
    field("time", s.format ? `no timestamps in this ${s.format} file: flame graphs, collapse and export work, heat maps need times` : "no timestamps: flame graphs and collapse work, heat maps need `perf script -F +time`");
  } else {
    const wall = s.originWallClock ? ` = ${formatWallClock(s.originWallClock, {ms: true})}` : s.format ? " (the file gives no wall-clock time)" : " (no reference time in the header: record with -k CLOCK_MONOTONIC for wall-clock labels)";
    field("origin", `${s.origin} s ${s.format ? "of the file's clock" : "perf time"} (x = 0 of heat maps)${wall}`);
    field("first sample", `${s.firstSample} (+${(Number(s.firstSample) - s.origin).toFixed(6)} s)`);
    field("last sample", `${s.lastSample} (+${(Number(s.lastSample) - s.origin).toFixed(6)} s)`);
    field("duration", `${s.duration!.toFixed(6)} s; ${s.columns} heat-map column${s.columns === 1 ? "" : "s"}`);
  }
  if (s.samplingRate) field("sampling", `${describeRate(s.samplingRate)}; heat-map rows that match it: ${matchingRows(s.samplingRate.hz).join(", ") || "none from 10 to 200"}`);
  field("cpus", s.cpus.length ? `${s.cpus.length} sampled (${compactRanges(s.cpus)})` : "not recorded");
  out.push("", "processes (by comm)", ...table(s.comms, s.samples.total, false));
  out.push("", "threads", ...table(s.threads, s.samples.total, true));
  out.push("", "diagnostics");
  if (s.diagnostics.length === 0) out.push("  none: every line was understood");
  for (const d of s.diagnostics) out.push(`  ${escapeTerminal(formatDiagnostic(s.source, d))}`);
  return out.join("\n") + "\n";
}

/** [0,1,2,3,7] → "0-3, 7" */
function compactRanges(ids: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j] + 1) j++;
    parts.push(i === j ? String(ids[i]) : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}
