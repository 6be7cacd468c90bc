import {formatDiagnostic} from "../lib/perf/diagnostics.js";
import {IDLE_MODES, type IdleClassifier} from "../lib/idle.js";
import {summarize, type CountRow, type ProfileSummary} from "../lib/summary.js";
import {CliError, formatCount, loadProfile, writeOutput, type Command} from "./common.js";

export const infoCommand: Command = {
  name: "info",
  summary: "what is in a profile: samples, events, time span, CPUs, top processes, header, parse warnings",
  help: `usage: subsecond info [options] FILE

Prints what to check first: samples (total and idle), events, the origin (the perf
time of x = 0 of every heat map, and its wall-clock time when perf recorded a
reference time), first and last sample, duration, CPUs, the processes (grouped by
comm, as \`perf report --sort comm\`) and threads with the most samples, the
\`perf script --header\` metadata, and every parse warning with its line numbers.

options:
  --json         machine-readable output
  --top N        rows of processes and threads (default 10)
  --idle MODE    idle classifier: default (leaf-aware), flamescope, keep
  -h, --help     this help
`,
  options: {
    json: {type: "boolean"},
    top: {type: "string"},
    idle: {type: "string"},
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new CliError("info takes one input file", 2);
    const top = v.top === undefined ? 10 : Number(v.top);
    if (!Number.isInteger(top) || top < 0) throw new CliError(`--top takes a whole number, not ${JSON.stringify(v.top)}`, 2);
    const idle = (v.idle ?? "default") as IdleClassifier;
    if (!(IDLE_MODES as readonly string[]).includes(idle as string)) throw new CliError(`--idle takes ${IDLE_MODES.join(", ")}`, 2);
    const profile = await loadProfile(positionals[0], true);
    const summary = summarize(profile, {idle, top});
    writeOutput(v.json ? JSON.stringify(summary, null, 2) + "\n" : formatSummary(summary));
  },
};

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : "-";
}

function table(rows: CountRow[], total: number, withIds: boolean): string[] {
  const head = withIds ? ["samples", "%", "idle", "pid", "tid", "comm"] : ["samples", "%", "idle", "comm"];
  const body = rows.map((r) => {
    const cells = [formatCount(r.samples), percent(r.samples, total), formatCount(r.idle)];
    if (withIds) cells.push(r.pid === null ? "?" : String(r.pid), String(r.tid));
    cells.push(r.comm);
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((c) => c[i].length)));
  const line = (cells: string[]) =>
    "  " + cells.map((c, i) => (i === cells.length - 1 ? c : c.padStart(widths[i]))).join("  ");
  return [line(head), ...body.map(line)];
}

export function formatSummary(s: ProfileSummary): string {
  const out: string[] = [];
  const field = (name: string, value: string) => out.push(`${name.padEnd(14)}${value}`);
  const h = s.header;
  field("file", `${s.source} (${formatCount(s.bytes)} bytes, ${formatCount(s.lines)} lines)`);
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
    field("time", "no timestamps: flame graphs and collapse work, heat maps need `perf script -F +time`");
  } else {
    const wall = s.originWallClock ? ` = ${s.originWallClock.replace("T", " ").replace("Z", " UTC")}` : " (no reference time in the header: record with -k CLOCK_MONOTONIC for wall-clock labels)";
    field("origin", `${s.origin} s perf time (x = 0 of heat maps)${wall}`);
    field("first sample", `${s.firstSample} (+${(Number(s.firstSample) - s.origin).toFixed(6)} s)`);
    field("last sample", `${s.lastSample} (+${(Number(s.lastSample) - s.origin).toFixed(6)} s)`);
    field("duration", `${s.duration!.toFixed(6)} s; ${s.columns} heat-map column${s.columns === 1 ? "" : "s"}`);
  }
  field("cpus", s.cpus.length ? `${s.cpus.length} sampled (${compactRanges(s.cpus)})` : "not recorded");
  out.push("", "processes (by comm)", ...table(s.comms, s.samples.total, false));
  out.push("", "threads", ...table(s.threads, s.samples.total, true));
  out.push("", "diagnostics");
  if (s.diagnostics.length === 0) out.push("  none: every line was understood");
  for (const d of s.diagnostics) out.push(`  ${formatDiagnostic(s.source, d)}`);
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
