#!/usr/bin/env node
// `npm run bench`: speed and memory of subsecond on large real `perf script` captures
// (one of them with deep stacks whose paths rarely repeat), side by side with the floors
// of reading the file in Node and with stackcollapse-perf.pl, all in one run; and the
// latency of heat maps, flame trees and the report site on large profiles. See
// bench/README.md.
//
//   node bench/run.js [--quick] [--runs N] [--samples N] [--record-seconds S]
//                     [--deep-seconds S] [--cpu-prof] [--make-seed]
//
// The side-by-side table runs whole processes (`node bin/subsecond.js info FILE`, …) as a
// user would (bench/side-by-side.js). The library measures run in child processes of
// this file (--child), so each peak RSS (process.resourceUsage().maxRSS) is that task's
// alone; they import the library from a bundle of src/lib that esbuild writes to
// bench/data/lib.mjs at start (npm packages left as imports), so no TypeScript compiler
// runs inside a measurement.
import {spawnSync} from "node:child_process";
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync} from "node:fs";
import os from "node:os";
import {basename, dirname, join, relative} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {gunzipSync, gzipSync} from "node:zlib";
import {bundleForNode} from "../scripts/bundle.js";
import {countNewlinesStreaming} from "./floor.mjs";
import {FORMAT_TARGET, formatsChild, formatsPerformance} from "./formats.js";
import {measureProcess, peakRssMeter} from "./measure-process.js";
import {NOTEBOOK_TARGET_MS, measureNotebook} from "./notebook.js";
import {PEER_COLLAPSE, sideBySide} from "./side-by-side.js";
import {median} from "./stats.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const dataDir = join(here, "data");
const LIB = join(dataDir, "lib.mjs");
const CLI = join(root, "bin", "subsecond.js");
const SEED = join(here, "seed.perf.gz");
const LARGE = join(dataDir, "large.perf");
const LARGE_META = join(dataDir, "large.meta.json");
const DEEP = join(dataDir, "deep.perf");
const DEEP_META = join(dataDir, "deep.meta.json");
const QUICK = join(dataDir, "quick.perf");
// A second input of the same size with the stack reuse of a typical service: the
// bundled JVM example (a real capture made here) and copies of it shifted in time.
const SERVICE_SOURCE = join(root, "examples", "jvm-g1-gc.perf.gz");
const SERVICE = join(dataDir, "service.perf");
const RESULTS = join(dataDir, "results.json");
const RESULTS_QUICK = join(dataDir, "results-quick.json");
const CPUPROF = join(dataDir, "cpuprof");
const MB = 1e6;
const MiB = 1 << 20;
const CHUNK = 4 << 20;
const MIN_LARGE_BYTES = 200 * MB;
const MIN_DEEP_BYTES = 300 * MB;
const QUICK_BYTES = 20 * MB;

const TARGET = {
  // Whole processes, as multiples of the streaming floor's time (issue 10).
  infoFloor: 2.0, infoRssMiB: 250, collapseFloor: 2.5, collapseRssMiB: 300, collapseVsPeer: 7,
  // The library in a child process (an earlier issue).
  parseMBps: 400, parseRssMiB: 250,
  // On a million samples, first call included.
  heatmapMs: 20, flameTreeMs: 50,
  // The report site.
  pageInteractiveMs: 3000, brushFlameMs: 100, redrawMs: 100,
};
// Numbers the issues quote for these machines, printed for comparison (not measured here).
const QUOTED = [
  "issue 10, a 300 MB deep capture, whole processes: info 3.8–4.0× the streaming floor, 273 MiB; collapse 7.9–8.6×, 599–611 MiB; stackcollapse-perf.pl 17.3×",
  "an earlier issue, a 221 MB capture: stackcollapse-perf.pl 30 MB/s; FlameScope's parser 37–49 MB/s; speedscope's importer 45 MB/s, 1.4 GB RSS; Node newline floor 880 MB/s",
];

// ---- child tasks -------------------------------------------------------------------

async function child(task, file, arg) {
  const out = {};
  if (task === "floor") {
    const t0 = performance.now();
    Object.assign(out, await countNewlinesStreaming(file));
    out.ms = performance.now() - t0;
  } else if (task === "parse" || task === "parse-1" || task === "collapse") {
    const lib = await import(pathToFileURL(LIB).href);
    const t0 = performance.now();
    const profile = await lib.readProfile(file, task === "parse-1" ? {threads: 1} : {});
    const t1 = performance.now();
    out.parseMs = t1 - t0;
    if (task === "collapse") {
      // As `subsecond collapse` does: the folded text written in pieces as it is made.
      const fd = openSync("/dev/null", "w");
      let lines = 0, bytes = 0;
      lib.writeCollapsed(profile, {}, (piece) => {
        for (let k = piece.indexOf(10); k >= 0; k = piece.indexOf(10, k + 1)) lines++;
        bytes += piece.length;
        writeSync(fd, piece);
      });
      closeSync(fd);
      out.collapseMs = performance.now() - t1;
      out.foldedLines = lines;
      out.foldedBytes = bytes;
    }
    out.ms = performance.now() - t0;
    out.bytes = profile.diagnostics.bytes;
    Object.assign(out, describeProfile(profile));
  } else if (task === "analysis") {
    Object.assign(out, await analysis(file, Number(arg)));
  } else if (task === "json-parse" || task === "import") {
    Object.assign(out, await formatsChild(task, file, task === "import" ? await import(pathToFileURL(LIB).href) : null));
  } else {
    throw new Error(`unknown task ${task}`);
  }
  out.maxRssKiB = process.resourceUsage().maxRSS;
  process.stdout.write(JSON.stringify(out));
}

/** Sizes of a parsed profile: its tables, its stack depth (frames below the comm root),
 * the stacks that samples end in, the processes with the most samples, and the bytes of
 * the finished model's columns. */
function describeProfile(p) {
  const {prefix, frame, length} = p.stacks;
  const depth = new Int32Array(length), root = new Int32Array(length);
  for (let s = 0; s < length; s++) {
    depth[s] = prefix[s] < 0 ? 0 : depth[prefix[s]] + 1;
    root[s] = prefix[s] < 0 ? s : root[prefix[s]];
  }
  const sampled = new Uint8Array(length);
  const perRoot = new Float64Array(length);
  let sum = 0, max = 0, distinct = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const s = p.samples.stack[i];
    const d = depth[s];
    sum += d;
    if (d > max) max = d;
    if (!sampled[s]) distinct++;
    sampled[s] = 1;
    perRoot[root[s]]++;
  }
  const byDepth = new Float64Array(max + 1);
  for (let i = 0; i < p.samples.length; i++) byDepth[depth[p.samples.stack[i]]]++;
  let medianDepth = 0;
  for (let d = 0, seen = 0; d <= max; d++) {
    seen += byDepth[d];
    if (seen * 2 >= p.samples.length) { medianDepth = d; break; }
  }
  const perComm = new Map();
  for (let s = 0; s < length; s++) {
    if (perRoot[s] === 0) continue;
    const comm = p.strings[p.frames.name[frame[s]]];
    perComm.set(comm, (perComm.get(comm) ?? 0) + perRoot[s]);
  }
  const topComms = [...perComm].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([comm, samples]) => ({comm, samples}));
  const columns = [p.samples, p.stacks, p.frames, p.threads].flatMap((t) => Object.values(t).filter(ArrayBuffer.isView));
  let stringChars = 0;
  for (const s of p.strings) stringChars += s.length;
  const time = p.samples.time;
  const timed = p.samples.length > 0 && !Number.isNaN(time[0]);
  return {
    samples: p.samples.length,
    stacks: p.stacks.length,
    sampledStacks: distinct,
    frames: p.frames.length,
    strings: p.strings.length,
    threads: p.threads.length,
    events: p.events.map((e) => e.name),
    meanDepth: p.samples.length ? sum / p.samples.length : 0,
    medianDepth,
    maxDepth: max,
    topComms,
    columnBytes: columns.reduce((n, a) => n + a.byteLength, 0),
    stringChars,
    seconds: timed ? (time[p.samples.length - 1] - time[0]) / 1e9 : null,
    lines: p.diagnostics.lines,
    diagnostics: p.diagnostics.entries.map((e) => `${e.code}×${e.count}`),
  };
}

/** Heat map and flame-tree latency on a profile of `target` samples: the real capture,
 * and as many shifted copies of it as it takes, fed to the parser as one text. */
async function analysis(file, target) {
  const lib = await import(pathToFileURL(LIB).href);
  const {profile, copies, buildMs, sourceSamples} = buildReplicated(lib, file, target);
  // The input text is garbage now: collect it and the parser's leftovers before timing.
  globalThis.gc?.();
  return {copies, sourceSamples, buildMs, ...describeProfile(profile), ...analysisMeasures(lib, profile)};
}

function buildReplicated(lib, file, target) {
  const text = readFileSync(file);
  const index = indexSamples(text);
  const parser = new lib.PerfScriptParser({source: `${file} ×${Math.ceil(target / index.count)}`});
  const t0 = performance.now();
  let copies = 0;
  for (const chunk of replicatedText(text, index, target)) {
    if (chunk.copy >= copies) copies = chunk.copy + 1;
    for (let i = 0; i < chunk.buf.length; i += CHUNK) parser.push(chunk.buf.subarray(i, Math.min(i + CHUNK, chunk.buf.length)));
  }
  return {profile: parser.finish(), copies, buildMs: performance.now() - t0, sourceSamples: index.count};
}

function analysisMeasures(lib, profile) {
  const columns = lib.durationSeconds(profile);
  const rows = 50;

  const time = (fn, runs = 7) => {
    const ms = [];
    let result;
    for (let r = 0; r < runs; r++) {
      const a = performance.now();
      result = fn();
      ms.push(performance.now() - a);
    }
    return {first: ms[0], ms, result};
  };
  const map = time(() => lib.heatmap(profile, {rows}));
  const range = lib.timeRange(0, columns);
  const all = time(() => lib.flameTree(profile, [range]));
  // A brush over every second, offsets 200–600 ms: 40% of the samples.
  const block = lib.cellBlock(0, columns - 1, 10, 29, rows);
  const cells = time(() => lib.flameTree(profile, [block]));
  const nodes = (tree) => {
    let n = 0;
    lib.walkTree(tree.root, () => n++);
    return n;
  };
  // Call-tree views of the whole profile: the busiest function (by total, below the
  // comms) is the sandwich's and the merge's subject.
  const view = lib.sampleView(profile, [range]);
  const busiest = lib.topFunctions(all.result, {by: "total", limit: 50}).find((f) => f.kind !== "process").name;
  const inverted = time(() => lib.callTree(view, {invert: true}), 5);
  const merged = time(() => lib.callTree(view, {transforms: [{type: "merge-function", name: busiest}]}), 5);
  const sandwich = time(() => lib.sandwich(view, busiest), 5);
  const threads = time(() => lib.threadTrees(view, {limit: 8}), 5);
  const callTree = (r, samples) => ({ms: r.ms, first: r.first, samples});
  return {
    columns,
    heatmap: {ms: map.ms, first: map.first, cells: map.result.counts.length, counted: map.result.samples},
    flameRange: {ms: all.ms, first: all.first, selection: lib.formatSelection([range]), samples: all.result.samples, nodes: nodes(all.result)},
    flameCells: {ms: cells.ms, first: cells.first, selection: lib.formatSelection([block]), samples: cells.result.samples, nodes: nodes(cells.result)},
    callTrees: {
      function: busiest,
      inverted: {...callTree(inverted, inverted.result.samples), nodes: nodes(inverted.result)},
      merged: callTree(merged, merged.result.samples),
      sandwich: callTree(sandwich, sandwich.result.callees.samples),
      threads: callTree(threads, threads.result.reduce((n, t) => n + t.samples, 0)),
    },
  };
}

// ---- replication with shifted timestamps ------------------------------------------

/** Where the header ends and where each sample's time (its whole seconds) is. */
function indexSamples(buf) {
  let pos = 0;
  while (pos < buf.length && buf[pos] === 35 /* # */) {
    const nl = buf.indexOf(10, pos);
    pos = nl < 0 ? buf.length : nl + 1;
  }
  const headerEnd = pos;
  const starts = [], secStarts = [], secEnds = [], secs = [];
  const timeRe = /[ \t](\d+)\.\d+:[ \t]/;
  while (pos < buf.length) {
    let nl = buf.indexOf(10, pos);
    if (nl < 0) nl = buf.length;
    const c = buf[pos];
    if (c !== 10 && c !== 9 && c !== 32 && c !== 35) {
      const line = buf.latin1Slice(pos, Math.min(nl, pos + 512));
      const m = timeRe.exec(line);
      if (m) {
        starts.push(pos);
        const s = pos + m.index + 1;
        secStarts.push(s);
        secEnds.push(s + m[1].length);
        secs.push(Number(m[1]));
      }
    }
    pos = nl + 1;
  }
  if (starts.length === 0) throw new Error("no timed samples to replicate");
  let first = Infinity, last = -Infinity;
  for (const s of secs) { if (s < first) first = s; if (s > last) last = s; }
  // Copy k is shifted by k × span whole seconds: offsets within seconds stay the same.
  return {headerEnd, starts, secStarts, secEnds, secs, count: starts.length, span: last - first + 1};
}

/** The text, then shifted copies of its samples (no header), until `target` samples;
 * the last copy is cut at a sample boundary. Yields {copy, buf}. */
function* replicatedText(buf, index, target) {
  const {count, starts, secStarts, secEnds, secs, span, headerEnd} = index;
  let left = target;
  for (let k = 0; left > 0; k++) {
    const n = Math.min(left, count);
    const end = n === count ? buf.length : starts[n];
    if (k === 0) {
      yield {copy: 0, buf: buf.subarray(0, end)};
    } else {
      const out = Buffer.allocUnsafe(end - headerEnd + n * 4);
      let o = 0, from = headerEnd;
      for (let i = 0; i < n; i++) {
        o += buf.copy(out, o, from, secStarts[i]);
        o += out.write(String(secs[i] + k * span), o, "latin1");
        from = secEnds[i];
      }
      o += buf.copy(out, o, from, end);
      yield {copy: k, buf: out.subarray(0, o)};
    }
    left -= n;
  }
}

/** Writes `source` (a Buffer) and shifted copies of it to `out`: `copies` in all, or as
 * many whole copies as it takes to reach `bytes`; with `fraction` < 1, only that share
 * of one copy's samples (cut at a sample boundary). Returns the copies and samples. */
function writeReplicated(source, out, {bytes, copies, fraction = 1}) {
  const index = indexSamples(source);
  const perCopy = source.length - index.headerEnd;
  copies ??= Math.max(1, Math.ceil((bytes - index.headerEnd) / perCopy));
  const samples = Math.max(1, Math.round(copies * index.count * fraction));
  const tmp = `${out}.tmp`;
  const fd = openSync(tmp, "w");
  for (const {buf} of replicatedText(source, index, samples)) writeSync(fd, buf);
  closeSync(fd);
  renameSync(tmp, out);
  return {copies, samples, span: index.span};
}

/** Whether a file made from `source` is missing or older than it. */
function staleDerived(file, source) {
  return !existsSync(file) || statSync(file).mtimeMs < statSync(source).mtimeMs;
}

// ---- inputs ------------------------------------------------------------------------

function log(msg) {
  process.stderr.write(`bench: ${msg}\n`);
}

async function bundleLibrary() {
  mkdirSync(dataDir, {recursive: true});
  // No source map: a measured child should not carry one.
  await bundleForNode({
    stdin: {contents: 'export * from "./src/lib/index.ts"; export * from "./src/node/index.ts";', resolveDir: root, loader: "ts"},
    outfile: LIB,
    sourcemap: false,
  });
}

/** Records `file` with `script` when it is missing (metadata in `metaFile`); returns the
 * metadata. */
function ensureRecorded({file, metaFile, script, seconds, what}) {
  if (existsSync(file)) {
    log(`reusing ${rel(file)} (${(statSync(file).size / MB).toFixed(1)} MB; delete it to record a new one)`);
  } else {
    log(`${rel(file)} is missing: recording ${what} with bench/${script} (${seconds} s of perf record, then perf script)`);
    const r = spawnSync("bash", [join(here, script), String(seconds), file], {stdio: ["ignore", "inherit", "inherit"]});
    if (r.status !== 0 || !existsSync(file)) throw new Error(`recording failed: see the messages above (bench/${script} needs root and perf)`);
    writeFileSync(metaFile, JSON.stringify({recorded: new Date().toISOString(), seconds, recordedBytes: statSync(file).size, replicated: false, copies: 1}, null, 2) + "\n");
  }
  return existsSync(metaFile) ? JSON.parse(readFileSync(metaFile, "utf8")) : {recorded: "unknown", replicated: false, copies: 1};
}

function ensureLarge(recordSeconds) {
  const fresh = !existsSync(LARGE);
  const meta = ensureRecorded({file: LARGE, metaFile: LARGE_META, script: "record-large.sh", seconds: recordSeconds, what: "a real profile"});
  if (fresh && meta.recordedBytes < MIN_LARGE_BYTES) {
    // A slower or idler machine records less text a second: make up the size with
    // shifted copies of the real capture, and say so.
    log(`the capture is ${(meta.recordedBytes / MB).toFixed(1)} MB, under ${MIN_LARGE_BYTES / MB} MB: appending copies of it with shifted timestamps`);
    const {copies} = writeReplicated(readFileSync(LARGE), LARGE, {bytes: MIN_LARGE_BYTES});
    Object.assign(meta, {replicated: true, copies});
    writeFileSync(LARGE_META, JSON.stringify(meta, null, 2) + "\n");
  }
  const size = statSync(LARGE).size;
  if (size < MIN_LARGE_BYTES) throw new Error(`${rel(LARGE)} is ${(size / MB).toFixed(1)} MB, under ${MIN_LARGE_BYTES / MB} MB: delete it and run again`);
  const recorded = `perf record -a -g -F 999 of bench/workload/busy.c and jit.mjs, recorded ${meta.recorded}`;
  return {...meta, source: meta.replicated
    ? `replicated: a real capture (${recorded}, ${fmt(meta.recordedBytes / MB, 1)} MB) and ${meta.copies - 1} copies of it shifted in time`
    : `a real capture (${recorded})`};
}

/** The deep-stack capture: always real, never replicated; a short one is reported. */
function ensureDeep(deepSeconds) {
  const meta = ensureRecorded({file: DEEP, metaFile: DEEP_META, script: "record-deep.sh", seconds: deepSeconds, what: "the deep-stack capture"});
  const size = statSync(DEEP).size;
  if (size < MIN_DEEP_BYTES) {
    log(`WARNING: ${rel(DEEP)} is ${(size / MB).toFixed(1)} MB, under the ${MIN_DEEP_BYTES / MB} MB it should have: ` +
      `delete it and run again with a longer recording (--deep-seconds ${Math.ceil(((meta.seconds ?? 55) * MIN_DEEP_BYTES * 1.1) / size)})`);
  }
  return {...meta, source: `a real capture (perf record -a -g -F 999 of bench/workload/deep.c, deep-parser.mjs and DeepVisitor.java, ${meta.seconds ?? "?"} s, recorded ${meta.recorded})`};
}

function ensureService() {
  if (staleDerived(SERVICE, SERVICE_SOURCE)) {
    log(`writing ${rel(SERVICE)}: ${rel(SERVICE_SOURCE)} (a real capture) with copies shifted in time, to ${MIN_LARGE_BYTES / MB} MB`);
    writeReplicated(gunzipSync(readFileSync(SERVICE_SOURCE)), SERVICE, {bytes: MIN_LARGE_BYTES});
  } else {
    log(`reusing ${rel(SERVICE)}`);
  }
  return {replicated: true, source: `${rel(SERVICE_SOURCE)} (a real capture made here, the stack reuse of a typical service) and copies of it shifted in time`};
}

function ensureQuick() {
  if (!existsSync(SEED)) throw new Error(`${rel(SEED)} is missing: run \`node bench/run.js --make-seed\` after a full run`);
  if (staleDerived(QUICK, SEED)) {
    log(`writing ${rel(QUICK)}: ${rel(SEED)} (a real capture) with copies shifted in time, to ${QUICK_BYTES / MB} MB`);
    writeReplicated(gunzipSync(readFileSync(SEED)), QUICK, {bytes: QUICK_BYTES});
  } else {
    log(`reusing ${rel(QUICK)}`);
  }
  return {replicated: true, source: `${rel(SEED)} (a real capture) and copies of it shifted in time`};
}

/** The seed of --quick: the header and the first 2 seconds of samples of the large
 * capture, gzipped (bench/seed.perf.gz, kept in git). */
function makeSeed() {
  const text = readFileSync(LARGE);
  const index = indexSamples(text);
  let n = 0;
  while (n < index.count && index.secs[n] < index.secs[0] + 2) n++;
  const end = n < index.count ? index.starts[n] : text.length;
  writeFileSync(SEED, gzipSync(text.subarray(0, end), {level: 9}));
  log(`wrote ${rel(SEED)}: ${n} samples, ${(end / MB).toFixed(1)} MB of text, ${(statSync(SEED).size / 1024).toFixed(0)} KiB gzipped`);
}

function rel(p) {
  return relative(process.cwd(), p) || p;
}

// ---- running children --------------------------------------------------------------

function runChild(task, file, arg, cpuProf) {
  const flags = ["--max-old-space-size=8192"];
  if (task === "analysis") flags.push("--expose-gc");
  if (cpuProf) flags.push("--cpu-prof", `--cpu-prof-dir=${CPUPROF}`, `--cpu-prof-name=${task}-${basename(file)}-${Date.now()}.cpuprofile`);
  const r = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), "--child", task, file, String(arg ?? "")], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status !== 0) throw new Error(`${task} child failed (status ${r.status})`);
  return JSON.parse(r.stdout);
}

/** `runs` timed runs of a child task; with cpuProf, one more untimed run first writes a
 * V8 CPU profile. */
function repeat(task, file, runs, cpuProf) {
  if (cpuProf) runChild(task, file, null, true);
  const results = [];
  for (let r = 0; r < runs; r++) {
    const res = runChild(task, file, null, false);
    log(`  ${task} ${basename(file)} run ${r + 1}/${runs}: ${res.ms.toFixed(0)} ms, peak RSS ${(res.maxRssKiB / 1024).toFixed(0)} MiB`);
    results.push(res);
  }
  const ms = results.map((r) => r.ms);
  const rss = results.map((r) => r.maxRssKiB / 1024);
  return {runs: results, msMedian: median(ms), msMin: Math.min(...ms), rssMiBMax: Math.max(...rss), rssMiBMedian: median(rss), last: results[results.length - 1]};
}

// ---- memory --------------------------------------------------------------------------

/** Solves the 3×3 system m·x = v (Cramer's rule); null when it is singular. */
function solve3(m, v) {
  const det = (a) => a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const d = det(m);
  if (Math.abs(d) < 1e-9) return null;
  return [0, 1, 2].map((c) => det(m.map((row, r) => row.map((x, k) => (k === c ? v[r] : x)))) / d);
}

/** Where `subsecond info`'s memory goes: its peak RSS (median of `runs`) on the input's
 * first half, the whole input and the input doubled (a second copy shifted in time: more
 * samples, the same stacks), fitted as fixed + bytes per sample + bytes per stack node. */
function memoryModel({file, whole, runs, meter}) {
  const name = basename(file, ".perf");
  const half = join(dataDir, `${name}-half.perf`), doubled = join(dataDir, `${name}-x2.perf`);
  if (staleDerived(half, file) || staleDerived(doubled, file)) {
    log(`memory: writing ${rel(half)} (the first half of the samples) and ${rel(doubled)} (two copies)`);
    const text = readFileSync(file);
    writeReplicated(text, half, {copies: 1, fraction: 0.5});
    writeReplicated(text, doubled, {copies: 2});
  }
  const points = [];
  for (const [label, variant] of [["half", half], ["whole", file], ["doubled", doubled]]) {
    const shape = label === "whole" ? whole : runChild("parse", variant);
    const rss = [];
    for (let r = 0; r < runs; r++) {
      const m = measureProcess(meter, process.execPath, [CLI, "info", variant]);
      if (m.maxRssKiB === null) return null;
      rss.push(m.maxRssKiB * 1024);
    }
    log(`  memory ${label}: ${shape.samples} samples, ${shape.stacks} stack nodes, info peak RSS ${(median(rss) / MiB).toFixed(0)} MiB`);
    points.push({label, file: rel(variant), bytes: statSync(variant).size, samples: shape.samples, stacks: shape.stacks, rssBytes: median(rss), columnBytes: shape.columnBytes});
  }
  const fit = solve3(points.map((p) => [1, p.samples, p.stacks]), points.map((p) => p.rssBytes));
  return {points, fit: fit && {fixedBytes: fit[0], bytesPerSample: fit[1], bytesPerStack: fit[2]}};
}

// ---- report ------------------------------------------------------------------------

function fmt(x, digits = 0) {
  return x.toLocaleString("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits});
}

const ms = (x) => `${fmt(x, x < 100 ? 1 : 0)} ms`;
const mib = (x) => (x === null ? "n/a" : `${fmt(x)} MiB`);
const verdict = (pass) => (pass === undefined ? "" : pass ? "pass" : "MISS");

/** A text table: the first `left` columns left-aligned, the others right-aligned. */
function formatTable(header, rows, left = 1) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r) => r.map((c = "", i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function describeInput(input) {
  const p = input.library.parse.last;
  const comms = p.topComms.map((c) => `${c.comm} ${fmt((100 * c.samples) / p.samples, 1)}%`).join(", ");
  return [
    `${input.key}: ${rel(input.file)}, ${fmt(input.bytes / MB, 1)} MB, ${fmt(p.lines)} lines, ${fmt(p.samples)} samples over ${fmt(p.seconds ?? 0, 1)} s, ` +
      `stack depth mean ${fmt(p.meanDepth, 1)} / median ${p.medianDepth} / max ${p.maxDepth}, ${fmt(p.sampledStacks)} distinct sampled stacks, ` +
      `${fmt(p.stacks)} stack nodes, ${fmt(p.frames)} frames, ${fmt(p.threads)} threads, events ${p.events.join(", ")}` +
      (p.diagnostics.length ? `, diagnostics ${p.diagnostics.join(" ")}` : ""),
    `    ${input.source}`,
    `    samples by process: ${comms}`,
  ];
}

function sideBySideRows(input) {
  const c = input.processes.commands;
  const floor = c.floorStream.msMedian;
  const rows = [];
  const row = (cmd, targets = {}) => {
    const ratio = cmd.msMedian / floor;
    const speedPass = targets.floor === undefined ? undefined : ratio <= targets.floor;
    const rssPass = targets.rss === undefined || cmd.rssMiBMax === null ? undefined : cmd.rssMiBMax <= targets.rss;
    rows.push([rows.length ? "" : `${input.key} ${fmt(input.bytes / MB)} MB`, cmd.name, ms(cmd.msMedian), ms(cmd.msMin), `${ratio.toFixed(2)}×`,
      targets.floor === undefined ? "" : `≤ ${targets.floor.toFixed(1)}×`, verdict(speedPass),
      mib(cmd.rssMiBMax), targets.rss === undefined ? "" : `≤ ${targets.rss} MiB`, verdict(rssPass)]);
    return {ratio, speedPass, rssPass};
  };
  row(c.floorStream);
  row(c.floorWhole);
  const info = row(c.info, {floor: TARGET.infoFloor, rss: TARGET.infoRssMiB});
  const collapse = row(c.collapse, {floor: TARGET.collapseFloor, rss: TARGET.collapseRssMiB});
  if (c.infoOneThread) row(c.infoOneThread);
  if (c.collapseOneThread) row(c.collapseOneThread);
  let peer = null;
  if (c.perl) {
    row(c.perl);
    const speedup = c.perl.msMedian / c.collapse.msMedian;
    peer = {speedup, pass: speedup >= TARGET.collapseVsPeer};
    rows.push(["", "  collapse's speed-up over stackcollapse-perf.pl", `${speedup.toFixed(2)}×`, "", "", `≥ ${TARGET.collapseVsPeer}×`, verdict(peer.pass), "", "", ""]);
  } else {
    rows.push(["", "stackcollapse-perf.pl: SKIPPED (not found)", "", "", "", "", "", "", "", ""]);
  }
  return {rows, verdicts: {info, collapse, peer}};
}

function libraryRows(input) {
  const {floor, parse, parseOneThread, collapse} = input.library;
  const mbps = (t) => input.bytes / MB / (t / 1000);
  const floorMBps = mbps(floor.msMedian);
  const p = parse.last;
  return [
    [`${input.key}: floor, stream + indexOf`, `${fmt(floorMBps)} MB/s`, ms(floor.msMin), "", ""],
    [`${input.key}: parse (readProfile)`, `${fmt(mbps(parse.msMedian))} MB/s`, ms(parse.msMin), `≥ ${TARGET.parseMBps} MB/s`, verdict(mbps(parse.msMedian) >= TARGET.parseMBps)],
    ["  time ÷ floor", `${(parse.msMedian / floor.msMedian).toFixed(2)}×`, "", "", ""],
    ["  samples/s", fmt(p.samples / (parse.msMedian / 1000)), "", "", ""],
    ["  peak RSS (max of runs)", mib(parse.rssMiBMax), "", `≤ ${TARGET.parseRssMiB} MiB`, verdict(parse.rssMiBMax <= TARGET.parseRssMiB)],
    ["  final model: columns, string chars", `${fmt(p.columnBytes / MiB, 1)} MiB, ${fmt(p.stringChars / MiB, 1)} M`, "", "", ""],
    [`${input.key}: parse on 1 thread (readProfile, threads: 1)`, `${fmt(mbps(parseOneThread.msMedian))} MB/s`, ms(parseOneThread.msMin), "", ""],
    ["  time ÷ floor", `${(parseOneThread.msMedian / floor.msMedian).toFixed(2)}×`, "", "", ""],
    ["  peak RSS (max of runs)", mib(parseOneThread.rssMiBMax), "", "", ""],
    [`${input.key}: collapse (parse + fold + text)`, `${fmt(mbps(collapse.msMedian))} MB/s`, ms(collapse.msMin), "", ""],
    ["  time ÷ floor", `${(collapse.msMedian / floor.msMedian).toFixed(2)}×`, "", "", ""],
    ["  fold + text part", ms(median(collapse.runs.map((r) => r.collapseMs))), "", "", ""],
    ["  peak RSS (max of runs)", mib(collapse.rssMiBMax), "", "", ""],
  ];
}

function analysisRows(an) {
  const rows = [];
  const add = (name, r, target) => {
    const m = median(r.ms);
    rows.push([`${an.key}: ${name}`, ms(m), ms(Math.min(...r.ms)), `≤ ${target} ms`, verdict(m <= target)]);
    rows.push(["  first call (cold)", ms(r.first), "", `≤ ${target} ms`, verdict(r.first <= target)]);
  };
  add(`heat map, rows 50 (${fmt(an.samples)} samples)`, an.heatmap, TARGET.heatmapMs);
  add(`flame tree, range (${fmt(an.flameRange.samples)} samples)`, an.flameRange, TARGET.flameTreeMs);
  add(`flame tree, cell block (${fmt(an.flameCells.samples)})`, an.flameCells, TARGET.flameTreeMs);
  // No targets of their own: these run on the page when a transform is applied.
  const plain = (name, r) => rows.push([`${an.key}: ${name}`, ms(median(r.ms)), ms(Math.min(...r.ms)), "", ""]);
  const c = an.callTrees;
  plain(`inverted tree, all samples (${fmt(c.inverted.nodes)} nodes)`, c.inverted);
  plain("tree with the busiest function merged", c.merged);
  plain(`callers and callees of the busiest function (${fmt(c.sandwich.samples)} samples)`, c.sandwich);
  plain("trees of the 8 busiest threads", c.threads);
  return rows;
}

function siteRows(site) {
  const rows = [];
  for (const p of site.pages) {
    // The issue's targets are for the capture and the bundled examples; the synthetic
    // profile keeps the earlier brush target.
    const targeted = p.kind !== "synthetic";
    const measures = [
      ["page interactive", p.interactiveMs, targeted ? TARGET.pageInteractiveMs : undefined],
      ["brush → flame graph", p.flamegraphMs, TARGET.brushFlameMs],
      ["heat map redraw (Rows changed)", p.redrawMs, targeted ? TARGET.redrawMs : undefined],
    ];
    measures.forEach(([measure, value, target], i) => rows.push([i === 0 ? p.name : "", measure, ms(value),
      target === undefined ? "" : `≤ ${fmt(target)} ms`, verdict(target === undefined ? undefined : value <= target)]));
  }
  return rows;
}

function formatsTable(formats, runs) {
  return `Formats: readProfile (read, decode, JSON.parse, import) against the floor of reading, decoding and JSON.parse of the same file; median of ${runs} runs; inputs replicated from ${rel(formats.source)}\n` +
    formatTable(["input", "MB", "samples", "JSON.parse", "import", "× JSON.parse", "target", "result", "peak RSS JSON.parse", "peak RSS import"], formats.rows.map((r) =>
      [r.key, fmt(r.bytes / MB), fmt(r.imported.last.samples), ms(r.json.msMedian), ms(r.imported.msMedian), `${r.ratio.toFixed(2)}×`, `≤ ${FORMAT_TARGET.importVsJsonParse}×`, verdict(r.pass), mib(r.json.rssMiBMax), mib(r.imported.rssMiBMax)]));
}

async function main(argv) {
  const opt = {quick: false, runs: null, samples: null, recordSeconds: 60, deepSeconds: 55, cpuProf: false};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") opt.quick = true;
    else if (a === "--runs") opt.runs = Math.max(1, Number(argv[++i]));
    else if (a === "--samples") opt.samples = Number(argv[++i]);
    else if (a === "--record-seconds") opt.recordSeconds = Number(argv[++i]);
    else if (a === "--deep-seconds") opt.deepSeconds = Number(argv[++i]);
    else if (a === "--cpu-prof") opt.cpuProf = true;
    else if (a === "--formats") opt.formatsOnly = true;
    else if (a === "--parse") opt.parseOnly = true;
    else if (a === "--inputs") opt.inputs = new Set(argv[++i].split(","));
    else if (a === "--make-seed") return makeSeed();
    else if (a === "-h" || a === "--help") {
      process.stdout.write("usage: node bench/run.js [--quick | --formats | --parse] [--inputs deep,large,service] [--runs N] [--samples N] [--record-seconds S] [--deep-seconds S] [--cpu-prof] [--make-seed]\n");
      return;
    } else throw new Error(`unknown option ${a}`);
  }
  const targetSamples = opt.samples ?? (opt.quick ? 100_000 : 1_000_000);
  opt.runs ??= opt.quick ? 3 : 5;

  await bundleLibrary();
  if (opt.formatsOnly) {
    const formats = formatsPerformance({dataDir, root, runs: opt.runs, runChild, log});
    process.stdout.write(formatsTable(formats, opt.runs) + "\n");
    writeFileSync(join(dataDir, "results-formats.json"), JSON.stringify({date: new Date().toISOString(), machine: {cpu: os.cpus()[0]?.model, cpus: os.cpus().length, node: process.version, loadavg: os.loadavg()}, formats}, null, 2) + "\n");
    return;
  }
  const meter = peakRssMeter();
  const inputs = (opt.quick
    ? [{key: "quick", file: QUICK, ...ensureQuick()}]
    : [{key: "large", file: LARGE, ensure: () => ensureLarge(opt.recordSeconds)}, {key: "service", file: SERVICE, ensure: ensureService}, {key: "deep", file: DEEP, ensure: () => ensureDeep(opt.deepSeconds)}]
      .filter((input) => !opt.inputs || opt.inputs.has(input.key))
      .map(({ensure, ...input}) => ({...input, ...ensure()})))
    .map((input) => ({...input, bytes: statSync(input.file).size}));
  // The capture the issue's targets are about: the deep one (the quick input in --quick).
  const headline = inputs[inputs.length - 1];
  log(`inputs: ${inputs.map((i) => `${rel(i.file)} (${fmt(i.bytes / MB, 1)} MB)`).join(", ")}; ${opt.runs} run(s) of each task`);
  log(meter === "gnu-time" ? "peak RSS of whole processes: GNU time (/usr/bin/time -f %M)"
    : "peak RSS of whole processes: GNU time is missing (Debian package `time`), so node processes report their own process.resourceUsage().maxRSS and perl's is not measured");
  if (!existsSync(PEER_COLLAPSE)) log(`stackcollapse-perf.pl: SKIPPED: ${PEER_COLLAPSE} is absent (the peer is kept outside the project, in ../shared/peers)`);

  for (const input of inputs) {
    log(`warming the page cache: ${rel(input.file)}`);
    runChild("floor", input.file);
  }
  for (const input of inputs) {
    log(`library: floor, readProfile, readProfile + collapse on ${rel(input.file)}`);
    input.library = {
      floor: repeat("floor", input.file, opt.runs, false),
      parse: repeat("parse", input.file, opt.runs, opt.cpuProf),
      parseOneThread: repeat("parse-1", input.file, opt.runs, false),
      collapse: repeat("collapse", input.file, opt.runs, opt.cpuProf),
    };
  }
  for (const input of inputs) {
    log(`side by side: floors, subsecond info, subsecond collapse, stackcollapse-perf.pl on ${rel(input.file)} (whole processes, round-robin)`);
    input.processes = sideBySide({file: input.file, runs: opt.runs, meter, label: input.key, cpuProfDir: opt.cpuProf ? CPUPROF : null, log});
  }
  // --parse: the reading measures alone.
  let memory = null;
  if (!opt.parseOnly) {
    log(`memory: subsecond info's peak RSS on parts and copies of ${rel(headline.file)}`);
    memory = memoryModel({file: headline.file, whole: headline.library.parse.last, runs: opt.runs, meter});
  }
  const analyses = [];
  for (const input of opt.parseOnly ? [] : opt.quick ? inputs : inputs.filter((i) => i.key !== "service")) {
    log(`analysis: a ${fmt(targetSamples)}-sample profile from shifted copies of ${rel(input.file)}`);
    analyses.push({key: input.key, ...runChild("analysis", input.file, targetSamples, opt.cpuProf)});
  }
  log("formats: a 200 MB .cpuprofile and a 200 MB Chrome trace, imported and JSON.parse'd");
  const formats = opt.quick || opt.parseOnly ? null : formatsPerformance({dataDir, root, runs: opt.runs, runChild, log});
  let site = null;
  if (opt.parseOnly) {
    log("site: not measured (--parse)");
  } else if (existsSync("/usr/bin/chromium")) {
    const {sitePerformance} = await import("./site.js");
    // --quick measures the capture's page alone, in a folder of its own.
    const suffix = opt.quick ? "-quick" : "";
    site = await sitePerformance({capture: headline.file, all: !opt.quick, folder: join(dataDir, `site-profiles${suffix}`), out: join(dataDir, `site${suffix}`),
      runs: opt.runs, lib: await import(pathToFileURL(LIB).href), log});
  } else {
    log("site: SKIPPED, /usr/bin/chromium is missing (scripts/setup.sh installs it)");
  }
  // measureNotebook says loudly when jupyter or the kernel is missing (and returns null).
  const notebook = opt.quick || opt.parseOnly ? null : await measureNotebook({capture: headline.file, runs: opt.runs, log});

  const out = [];
  out.push("");
  out.push(`subsecond bench${opt.quick ? " --quick (small replicated input: not the benchmark's numbers)" : ""}, ${new Date().toISOString()}`);
  out.push(`machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} CPUs, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB, node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  out.push("inputs:");
  for (const input of inputs) out.push(...describeInput(input).map((l) => `  ${l}`));
  out.push("");
  out.push(`Whole processes, side by side: median and min of ${opt.runs} runs, round-robin; × = time ÷ the streaming floor's time; ` +
    `peak RSS = max of the runs (${meter === "gnu-time" ? "GNU time %M" : "process.resourceUsage().maxRSS"}); output to /dev/null`);
  const sbs = inputs.map(sideBySideRows);
  out.push(formatTable(["input", "command", "median", "min", "×", "target", "result", "peak RSS", "target", "result"], sbs.flatMap((s) => s.rows), 2));
  out.push("");
  if (memory) {
    out.push(`Memory of subsecond info (peak RSS, median of ${opt.runs} runs) on ${rel(headline.file)}'s first half, whole and doubled (the second copy shifted in time):`);
    out.push(formatTable(["input", "MB", "samples", "stack nodes", "peak RSS", "final columns"], memory.points.map((p) =>
      [p.label, fmt(p.bytes / MB), fmt(p.samples), fmt(p.stacks), mib(p.rssBytes / MiB), `${fmt(p.columnBytes / MiB, 1)} MiB`])));
    if (memory.fit) out.push(`  fit: ${fmt(memory.fit.fixedBytes / MiB)} MiB fixed + ${fmt(memory.fit.bytesPerSample)} B per sample + ${fmt(memory.fit.bytesPerStack)} B per stack node`);
    out.push("");
  }
  out.push(`The library in a child process (clock after the import): median and min of ${opt.runs} runs; peak RSS = process.resourceUsage().maxRSS`);
  out.push(formatTable(["measure", "median", "min", "target", "result"], inputs.flatMap(libraryRows)));
  out.push("");
  if (analyses.length) {
    out.push(`Analysis: median of ${analyses[0].heatmap.ms.length} calls in a row, the first (cold: it builds the per-profile indexes) included and also shown alone`);
    for (const an of analyses) {
      out.push(`  ${an.key}: ${fmt(an.samples)} samples = ` + (an.copies > 1
        ? `the capture's ${fmt(an.sourceSamples)} real samples and ${an.copies - 1} cop${an.copies === 2 ? "y" : "ies"} of them shifted by whole seconds (replicated)`
        : `the first ${fmt(an.samples)} of the capture's ${fmt(an.sourceSamples)} samples`) +
        `, parsed as one text in ${fmt(an.buildMs / 1000, 1)} s; ${an.columns} seconds, ${fmt(an.stacks)} stack nodes${an.diagnostics.length ? `, diagnostics ${an.diagnostics.join(" ")}` : ""}; ` +
        `flame trees: range ${an.flameRange.selection} → ${fmt(an.flameRange.nodes)} nodes, cells ${an.flameCells.selection} → ${fmt(an.flameCells.nodes)} nodes`);
    }
    out.push(formatTable(["measure", "median", "min", "target", "result"], analyses.flatMap(analysisRows)));
    out.push("");
  }
  if (formats) {
    out.push(formatsTable(formats, opt.runs));
    out.push("");
  }
  if (site) {
    out.push(`Report site in Chromium (capture = ${rel(headline.file)}; report built in ${fmt(site.buildMs / 1000, 1)} s): median of ${opt.runs} runs`);
    out.push(formatTable(["page", "measure", "median", "target", "result"], siteRows(site), 2));
    out.push("");
  }
  if (notebook) {
    const m = notebook.median;
    out.push(`Notebook (bench/notebook.js): median of ${opt.runs} runs, each a fresh tslab kernel executing import, readProfile and show(heatmap(profile)) under nbconvert`);
    out.push(formatTable(["measure", "median", "min", "target", "result"], [
      [`notebook: first heat map of the ${headline.key} capture in a fresh kernel`, ms(m.firstHeatmapMs), ms(Math.min(...notebook.runs.map((r) => r.firstHeatmapMs))), `≤ ${fmt(NOTEBOOK_TARGET_MS)} ms`, verdict(notebook.pass)],
      ["  kernel start + import", ms(m.kernelAndImportMs), "", "", ""],
      ["  reading the capture", ms(m.readingMs), "", "", ""],
      ["  heat map, shown", ms(m.heatmapPartMs), "", "", ""],
    ]));
    out.push("");
  }
  out.push("for comparison, quoted (not measured here):");
  for (const q of QUOTED) out.push(`  ${q}`);
  process.stdout.write(out.join("\n") + "\n");

  const results = {
    date: new Date().toISOString(),
    quick: opt.quick,
    machine: {cpu: os.cpus()[0]?.model, cpus: os.cpus().length, node: process.version, loadavg: os.loadavg(), totalMemMiB: Math.round(os.totalmem() / MiB)},
    targets: TARGET,
    quoted: QUOTED,
    peakRssMeter: meter,
    inputs: inputs.map((input, i) => {
      const {floor, parse, collapse} = input.library;
      const mbps = (t) => input.bytes / MB / (t / 1000);
      const strip = (r) => ({msMedian: r.msMedian, msMin: r.msMin, rssMiBMax: r.rssMiBMax, runs: r.runs.map((x) => ({ms: x.ms, rssMiB: x.maxRssKiB / 1024}))});
      return {
        key: input.key, file: rel(input.file), bytes: input.bytes, source: input.source, recorded: input.recorded ?? null, replicated: !!input.replicated,
        profile: parse.last,
        sideBySide: {...input.processes, verdicts: sbs[i].verdicts},
        library: {
          floor: {...strip(floor), MBps: mbps(floor.msMedian)},
          parse: {...strip(parse), MBps: mbps(parse.msMedian), ratioToFloor: parse.msMedian / floor.msMedian, samplesPerSecond: parse.last.samples / (parse.msMedian / 1000)},
          collapse: {...strip(collapse), MBps: mbps(collapse.msMedian), ratioToFloor: collapse.msMedian / floor.msMedian,
            foldMsMedian: median(collapse.runs.map((r) => r.collapseMs)), foldedLines: collapse.last.foldedLines, foldedBytes: collapse.last.foldedBytes},
        },
      };
    }),
    memory,
    analysis: analyses.map((an) => ({
      ...an,
      heatmap: {...an.heatmap, median: median(an.heatmap.ms), pass: Math.max(median(an.heatmap.ms), an.heatmap.first) <= TARGET.heatmapMs},
      flameRange: {...an.flameRange, median: median(an.flameRange.ms), pass: Math.max(median(an.flameRange.ms), an.flameRange.first) <= TARGET.flameTreeMs},
      flameCells: {...an.flameCells, median: median(an.flameCells.ms), pass: Math.max(median(an.flameCells.ms), an.flameCells.first) <= TARGET.flameTreeMs},
    })),
    formats,
    site,
    notebook,
  };
  const resultsFile = opt.quick ? RESULTS_QUICK : opt.parseOnly ? join(dataDir, "results-parse.json") : RESULTS;
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + "\n");
  log(`wrote ${rel(resultsFile)}`);
  if (opt.cpuProf) log(`CPU profiles in ${rel(CPUPROF)}; \`node bench/cpuprof-top.js FILE\` lists the hot functions`);
}

const argv = process.argv.slice(2);
try {
  if (argv[0] === "--child") await child(argv[1], argv[2], argv[3]);
  else await main(argv);
} catch (e) {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : e}\n`);
  process.exitCode = 1;
}
