// JVM unified logging (`-Xlog:gc*:file=F:DECORATORS`, JDK 9+): G1, Parallel, Serial,
// ZGC and Shenandoah pause lines and concurrent phases. Each line starts with its
// decorations in brackets, in HotSpot's fixed order (time, utctime, uptime, timemillis,
// uptimemillis, timenanos, uptimenanos, hostname, pid, tid, level, tags) whichever
// order -Xlog named them, so two `…ns` values are timenanos then uptimenanos.
// Clocks: timenanos is System.nanoTime(), CLOCK_MONOTONIC on Linux (exact on perf's
// clock with -k CLOCK_MONOTONIC); time/utctime/timemillis are wall clock; uptime,
// uptimemillis and uptimenanos count from the JVM's start, which the log does not
// place on any clock.
import {TrackBuilder, eachLine, type Track, type TrackClock} from "./track.js";
import {isoSeconds} from "./clock.js";
import {NS} from "../time.js";

const LINE = /^((?:\[[^\]]*\])+) ?(.*)$/;
const DECORATION = /\[([^\]]*)\]/g;
const PARENS = String.raw`\((?:[^()]|\([^()]*\))*\)`;
/** `GC(12) Pause Young (Normal) (G1 Evacuation Pause) 160M->35M(256M) 81.965ms` */
const PAUSE_END = new RegExp(String.raw`^GC\((\d+)\) (Pause [A-Z][a-zA-Z]*((?: ${PARENS})*))(?: (\S+->\S+))? (\d+(?:\.\d+)?)ms$`);
const PAUSE_START = new RegExp(String.raw`^GC\((\d+)\) (Pause [A-Z][a-zA-Z]*(?: ${PARENS})*)$`);
/** `GC(7) Concurrent Mark 15.722ms`, `GC(7) Concurrent Mark (13.6s, 13.7s) 15.7ms` */
const CONCURRENT_END = /^GC\((\d+)\) (Concurrent [A-Za-z ]+?)(?: \([^)]*\))? (\d+(?:\.\d+)?)ms$/;

export const JVM_GC_LINE = /^\[[^\]]*\](?:\[[^\]]*\])*\s?(?:GC\(\d+\)|Using )/m;

/** Whether text looks like a JVM unified GC log (a decorated `GC(n)` or `Using G1` line). */
export function isJvmGcLog(start: string): boolean {
  return JVM_GC_LINE.test(start);
}

/** A pause's kind from its name: young, mixed, full, remark, cleanup, or its first word. */
export function pauseKind(name: string): string {
  if (/^Pause Young \(Mixed\)/.test(name) || /^Pause Mixed/.test(name)) return "mixed";
  const m = /^Pause ([A-Za-z]+)/.exec(name);
  const word = (m ? m[1] : "pause").toLowerCase();
  return ["young", "full", "remark", "cleanup"].includes(word) ? word : word === "init" || word === "final" ? "pause" : word;
}

interface Stamp {
  monotonic?: number;
  wall?: number;
  uptime?: number;
}

export interface JvmGcOptions {
  /** Which decoration to take times from (default: timenanos when present, else a
   * wall-clock one, else uptime). */
  clock?: TrackClock;
}

export function readJvmGcLog(text: string, source: string, options: JvmGcOptions = {}): Track {
  const b = new TrackBuilder(source);
  const stamps: {stamp: Stamp; line: number; kind: "start" | "pause" | "concurrent"; gc: string; name: string; ms: number; heap?: string}[] = [];
  let have = {monotonic: 0, wall: 0, uptime: 0};
  let resolution = {monotonic: 1e-9, wall: 1e-3, uptime: 1e-3};
  let firstNs: number | null = null;
  const lines = eachLine(text, (line, n) => {
    if (line.trim() === "") return;
    const m = LINE.exec(line);
    if (!m) return b.warn("track-line", n, line);
    const stamp: Stamp = {};
    const nsValues: number[] = [];
    for (const [, d] of m[1].matchAll(DECORATION)) {
      const v = d.trim();
      let x: RegExpExecArray | null;
      const iso = isoSeconds(v.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
      if (iso) { stamp.wall = iso.seconds; resolution.wall = iso.resolution; }
      else if ((x = /^(\d+(?:\.\d+)?)s$/.exec(v))) { stamp.uptime = Number(x[1]); resolution.uptime = x[1].includes(".") ? 10 ** -(x[1].length - x[1].indexOf(".") - 1) : 1; }
      else if ((x = /^(\d+)ms$/.exec(v))) {
        const ms = Number(x[1]);
        // timemillis is epoch ms (13 digits); uptimemillis counts from the JVM's start
        if (ms >= 1e11) { stamp.wall = ms / 1e3; resolution.wall = 1e-3; } else { stamp.uptime = ms / 1e3; resolution.uptime = 1e-3; }
      } else if ((x = /^(\d+)ns$/.exec(v))) nsValues.push(Number(x[1]));
    }
    if (nsValues.length >= 2) { stamp.monotonic = nsValues[0] / NS; stamp.uptime = nsValues[1] / NS; resolution.uptime = 1e-9; }
    else if (nsValues.length === 1) {
      // One ns decoration: the JVM logs from its first milliseconds, so a first value
      // under 5 s is uptimenanos; timenanos counts from the machine's boot.
      if (firstNs === null) firstNs = nsValues[0];
      if (firstNs < 5 * NS) { stamp.uptime = nsValues[0] / NS; resolution.uptime = 1e-9; } else stamp.monotonic = nsValues[0] / NS;
    }
    if (stamp.monotonic !== undefined) have.monotonic++;
    if (stamp.wall !== undefined) have.wall++;
    if (stamp.uptime !== undefined) have.uptime++;
    const msg = m[2];
    let x: RegExpExecArray | null;
    if ((x = PAUSE_END.exec(msg))) stamps.push({stamp, line: n, kind: "pause", gc: x[1], name: x[2], ms: Number(x[5]), heap: x[4]});
    else if ((x = PAUSE_START.exec(msg))) stamps.push({stamp, line: n, kind: "start", gc: x[1], name: x[2], ms: 0});
    else if ((x = CONCURRENT_END.exec(msg))) stamps.push({stamp, line: n, kind: "concurrent", gc: x[1], name: x[2], ms: Number(x[3])});
  });
  const clock: TrackClock = options.clock ?? (have.monotonic ? "monotonic" : have.wall ? "wall" : "relative");
  const timeOf = (s: Stamp) => (clock === "monotonic" ? s.monotonic : clock === "wall" ? s.wall : s.uptime);
  b.resolution = clock === "monotonic" ? resolution.monotonic : clock === "wall" ? resolution.wall : resolution.uptime;
  const starts = new Map<string, number>();
  for (const r of stamps) {
    const t = timeOf(r.stamp);
    if (t === undefined) { b.warn("track-time", r.line, r.name, `lines without the ${clock === "relative" ? "uptime" : clock} decoration the rest of the log has were skipped`); continue; }
    if (r.kind === "start") { starts.set(`${r.gc} ${r.name}`, t); continue; }
    if (r.kind === "concurrent") { b.event(r.line, t - r.ms / 1e3, r.ms / 1e3, "concurrent", r.name, `GC(${r.gc})`); continue; }
    const key = `${r.gc} ${r.name}`;
    const began = starts.get(key);
    starts.delete(key);
    // The start line's time when there is one; else the end line's less the duration.
    const start = began ?? t - r.ms / 1e3;
    const cause = /\(([^()]*(?:\([^()]*\))?[^()]*)\)$/.exec(r.name.replace(/^Pause \S+ \((Normal|Mixed|Concurrent Start|Prepare Mixed)\)$/, ""));
    b.event(r.line, start, r.ms / 1e3, pauseKind(r.name), r.name, [`GC(${r.gc})`, cause ? cause[1] : "", r.heap ?? ""].filter(Boolean).join(" "));
  }
  const clockFrom = clock === "monotonic" ? "the timenanos decoration (System.nanoTime: CLOCK_MONOTONIC)" : clock === "wall" ? "the time/utctime/timemillis decoration (wall clock)" : "the uptime decoration (since the JVM's start: no clock places it)";
  return b.finish({format: "jvm-gc", clock, clockFrom, lines, bytes: text.length});
}
