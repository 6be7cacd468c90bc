// What a user checks first about a profile: counts, time span, who ran, where, and how
// the parse went. Shared by `subsecond info`, the notebooks and the report site.
import {idleStacks, type IdleClassifier} from "./idle.js";
import {durationSeconds, perfTimeText, wallClockMs, type DiagnosticEntry, type Profile, type ProfileHeader} from "./profile.js";

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
    duration: timed ? (samples.time[last] - samples.time[0]) / 1e9 : null,
    columns: durationSeconds(profile),
    cpus: [...cpus].sort((a, b) => a - b),
    comms: [...byComm.values()].sort(mostFirst).slice(0, top),
    threads: threadRows.sort(mostFirst).slice(0, top),
    header,
    diagnostics: profile.diagnostics.entries,
  };
}
