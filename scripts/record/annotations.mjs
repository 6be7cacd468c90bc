#!/usr/bin/env node
// annotations.mjs: turn a workload's own log into the NAME.annotations.json
// sidecar of an example profile, and check the result against the samples.
//
// Usage:
//   node annotations.mjs --kind node-cache-refresh --perf NAME.perf.gz --log service.jsonl --out NAME.annotations.json
//   node annotations.mjs --kind jvm-g1-gc          --perf NAME.perf.gz --log gc.log [--top 5] [--min-gap 2] --out ...
//   node annotations.mjs --kind c-global-lock      --perf NAME.perf.gz --log global_lock.jsonl --out ...
//
// All workload logs carry CLOCK_MONOTONIC nanoseconds (C clock_gettime, Node
// process.hrtime.bigint(), the JVM's -Xlog "tn" decoration = System.nanoTime()),
// which is the clock of `perf record -k CLOCK_MONOTONIC`: sample times in the
// perf script text are the same numbers in seconds. Annotation from/to are
// seconds since the profile origin = floor(earliest sample time), rounded to ms.
//
// The check printed on stdout (not written to the JSON) counts "marker" samples
// (refreshPriceCache frames / GC Thread#N comm / rebuild_index_holding_lock
// frames) inside and outside the logged intervals, to show the clocks line up.
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { originNs, parseSamples, readPerfText, timeTextToNs } from "./perf-text.mjs";

function parseArgs(argv) {
  const o = { top: 5, "min-gap": 2 };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, "");
    o[k] = argv[i + 1];
  }
  for (const k of ["kind", "perf", "log", "out"]) if (!o[k]) throw new Error(`missing --${k}`);
  o.top = Number(o.top);
  o["min-gap"] = Number(o["min-gap"]);
  return o;
}

const jsonLines = (file) =>
  readFileSync(file, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));

/** Seconds since origin, rounded to ms. */
const rel = (ns, origin) => Math.round(Number(BigInt(ns) - origin) / 1e6) / 1000;
const ms = (a, b) => (Number(BigInt(b) - BigInt(a)) / 1e6).toFixed(1);

// ------------------------------------------------------------------ per kind
function nodeCacheRefresh(log) {
  const events = jsonLines(log);
  const windows = events
    .filter((e) => e.event === "refresh")
    .map((e) => ({
      startNs: BigInt(e.start_ns),
      endNs: BigInt(e.end_ns),
      label: "cache refresh",
      note:
        `refreshPriceCache() rebuilding the price table (generation ${e.generation}, ${e.products} products, ` +
        `${ms(e.start_ns, e.end_ns)} ms${e.reason === "startup" ? ", initial fill at startup before the load starts" : ", timer"}); ` +
        `the event loop serves no requests meanwhile`,
    }));
  const marker = (s) => s.frames.some((f) => f.sym.includes("refreshPriceCache"));
  return { selected: windows, all: windows, marker, markerName: "samples with a refreshPriceCache frame" };
}

function jvmG1Gc(log, top, minGapS) {
  // [<tn>ns][<un>ns][<tid>][<tags>] message
  const LINE = /^\[(\d+)ns\]\[(\d+)ns\]\[(\d+)\]\[([^\]]+?)\s*\] (.*)$/;
  const starts = new Map();
  const pauses = [];
  const safepoints = [];
  for (const line of readFileSync(log, "utf8").split("\n")) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [, tn, , , tags, msg] = m;
    if (tags === "gc,start") {
      const g = /^GC\((\d+)\) (Pause .*)$/.exec(msg);
      if (g) starts.set(g[1], BigInt(tn));
    } else if (tags === "gc") {
      const g = /^GC\((\d+)\) (Pause .*?) (\d+\S*->\d+\S*\(\d+\S*\)) ([\d.]+)ms$/.exec(msg);
      if (g) pauses.push({ id: g[1], what: g[2], heap: g[3], durMs: Number(g[4]), endNs: BigInt(tn), startNs: starts.get(g[1]) });
    } else if (tags === "safepoint") {
      const s = /^Safepoint "([^"]+)", .*Reaching safepoint: (\d+) ns, .*Total: (\d+) ns$/.exec(msg);
      if (s) safepoints.push({ op: s[1], endNs: BigInt(tn), reachNs: BigInt(s[2]), totalNs: BigInt(s[3]) });
    }
  }
  for (const p of pauses) {
    // gc,start is logged when the pause begins; fall back to end - duration.
    if (p.startNs === undefined) p.startNs = p.endNs - BigInt(Math.round(p.durMs * 1e6));
    // The safepoint that contained this pause ends right after it.
    p.safepoint = safepoints.find((s) => s.endNs >= p.endNs && s.endNs - s.totalNs <= p.startNs);
  }
  const toWindow = (p) => {
    const kind = /^Pause (Young \((\w[\w ]*)\)|Full|Remark|Cleanup)/.exec(p.what);
    const short = kind ? (kind[2] ? `Young (${kind[2]})` : kind[1]) : p.what;
    const sp = p.safepoint
      ? `; safepoint "${p.safepoint.op}" stopped the Java threads for ${(Number(p.safepoint.totalNs) / 1e6).toFixed(1)} ms ` +
        `(${(Number(p.safepoint.reachNs) / 1e6).toFixed(2)} ms to reach it)`
      : "";
    return {
      startNs: p.startNs,
      endNs: p.endNs,
      label: `G1 pause: ${short}`,
      note: `GC(${p.id}) ${p.what} ${p.heap} ${p.durMs} ms (from -Xlog:gc); GC Thread#N busy, worker-N threads stopped${sp}`,
    };
  };
  // The `top` longest pauses, greedily skipping any that start within minGapS
  // seconds of one already chosen, so the annotations spread over the profile.
  const chosen = [];
  for (const p of [...pauses].sort((a, b) => b.durMs - a.durMs || Number(a.startNs - b.startNs))) {
    if (chosen.length >= top) break;
    const gapNs = BigInt(Math.round(minGapS * 1e9));
    if (chosen.some((c) => (c.startNs > p.startNs ? c.startNs - p.startNs : p.startNs - c.startNs) < gapNs)) continue;
    chosen.push(p);
  }
  const selected = chosen.sort((a, b) => Number(a.startNs - b.startNs)).map(toWindow);
  const all = pauses.map(toWindow);
  const marker = (s) => s.comm.startsWith("GC Thread#");
  return { selected, all, marker, markerName: "GC Thread#N samples", stats: { pauses: pauses.length } };
}

function cGlobalLock(log) {
  const holds = jsonLines(log).filter((e) => e.event === "lock_hold");
  const windows = holds.map((e) => ({
    startNs: BigInt(e.acquired_ns),
    endNs: BigInt(e.released_ns),
    label: "global lock held",
    note:
      `${e.thread} holds the global mutex in rebuild_index_holding_lock() for ${ms(e.acquired_ns, e.released_ns)} ms ` +
      `(${e.passes} index passes; it waited ${ms(e.requested_ns, e.acquired_ns)} ms to get it); ` +
      `the other workers spin, then block, in wait_for_global_lock()`,
  }));
  const marker = (s) => s.frames.some((f) => f.sym.includes("rebuild_index_holding_lock"));
  return { selected: windows, all: windows, marker, markerName: "samples with a rebuild_index_holding_lock frame" };
}

// ------------------------------------------------------------------ main
const o = parseArgs(process.argv.slice(2));
const samples = parseSamples(readPerfText(o.perf));
const origin = originNs(samples);
const firstNs = samples.reduce((m, s) => { const t = timeTextToNs(s.timeText); return t < m ? t : m; }, timeTextToNs(samples[0].timeText));
const lastNs = samples.reduce((m, s) => { const t = timeTextToNs(s.timeText); return t > m ? t : m; }, 0n);

const kinds = { "node-cache-refresh": nodeCacheRefresh, "jvm-g1-gc": jvmG1Gc, "c-global-lock": cGlobalLock };
if (!kinds[o.kind]) throw new Error(`unknown --kind ${o.kind}`);
const r = kinds[o.kind](o.log, o.top, o["min-gap"]);

// Only intervals inside the profile.
const inProfile = (w) => w.endNs >= firstNs && w.startNs <= lastNs;
const dropped = r.selected.filter((w) => !inProfile(w));
const annotations = r.selected.filter(inProfile).map((w) => ({
  label: w.label,
  from: rel(w.startNs, origin),
  to: rel(w.endNs, origin),
  note: w.note,
}));
const sidecar = { profile: basename(o.perf), annotations };
writeFileSync(o.out, JSON.stringify(sidecar, null, 2) + "\n");

// ------------------------------------------------------------------ check
const lines = [];
lines.push(`== annotations ${o.out}`);
lines.push(`origin ${Number(origin) / 1e9} s (first sample ${Number(firstNs) / 1e9}, last ${Number(lastNs) / 1e9}); ${annotations.length} annotations` +
  (dropped.length ? `; ${dropped.length} intervals outside the profile dropped` : "") + (r.stats ? `; ${JSON.stringify(r.stats)}` : ""));
const markers = samples.filter(r.marker).map((s) => timeTextToNs(s.timeText));
const inAny = (t, ws) => ws.some((w) => t >= w.startNs && t <= w.endNs);
const inside = markers.filter((t) => inAny(t, r.all.filter(inProfile))).length;
lines.push(`check: ${r.markerName}: ${markers.length} total, ${inside} inside logged intervals, ${markers.length - inside} outside`);
for (const a of annotations) {
  const w = r.selected.find((x) => rel(x.startNs, origin) === a.from && rel(x.endNs, origin) === a.to);
  const ms_ = markers.filter((t) => t >= w.startNs && t <= w.endNs);
  lines.push(`  ${a.from.toFixed(3)}..${a.to.toFixed(3)} ${a.label}: ${ms_.length} marker samples` +
    (ms_.length ? ` (first +${(Number(ms_[0] - w.startNs) / 1e6).toFixed(1)} ms, last ${(Number(ms_[ms_.length - 1] - w.endNs) / 1e6).toFixed(1)} ms from the end)` : ""));
}
console.log(lines.join("\n"));
