#!/usr/bin/env node
// summarize-perf.mjs: sanity summary of a perf script text file (.perf or .perf.gz).
//
// Usage: node summarize-perf.mjs [--require] [--report NAME.report-comm-n.txt] FILE [NAME ...]
// Prints sample count, time span, samples per comm and per CPU, the number of
// samples whose stack (any frame) contains each NAME, and how many frames
// were unresolved ("[unknown]"). With --require, exits 1 if a NAME is in no sample;
// a NAME written "?NAME" is reported but optional (a JIT may inline it away).
// With --report, compares the per-comm sample counts with the "Samples" column
// of `perf report --stdio --sort comm -n` output (exit 1 on a mismatch).
import { readFileSync, statSync } from "node:fs";
import { parseSamples, readPerfText } from "./perf-text.mjs";

const args = process.argv.slice(2);
let require = false;
let reportFile = null;
while (args[0]?.startsWith("--")) {
  const a = args.shift();
  if (a === "--require") require = true;
  else if (a === "--report") reportFile = args.shift();
  else throw new Error(`unknown option ${a}`);
}
const [file, ...names] = args;
if (!file) {
  console.error("usage: summarize-perf.mjs [--require] FILE [NAME ...]");
  process.exit(2);
}
const text = readPerfText(file);
const samples = parseSamples(text);
const byComm = new Map();
const byCpu = new Map();
let frames = 0;
let unknown = 0;
let t0 = Infinity;
let t1 = -Infinity;
for (const s of samples) {
  byComm.set(s.comm, (byComm.get(s.comm) ?? 0) + 1);
  byCpu.set(s.cpu, (byCpu.get(s.cpu) ?? 0) + 1);
  frames += s.frames.length;
  unknown += s.frames.filter((f) => f.sym.startsWith("[unknown]")).length;
  t0 = Math.min(t0, s.time);
  t1 = Math.max(t1, s.time);
}
const out = [];
out.push(`== ${file}`);
out.push(`size ${statSync(file).size} bytes; text ${text.length} bytes; ${samples.length} samples; span ${t0.toFixed(6)}..${t1.toFixed(6)} (${(t1 - t0).toFixed(3)} s)`);
out.push(`per CPU: ${[...byCpu].sort((a, b) => a[0] - b[0]).map(([c, n]) => `cpu${c}=${n}`).join(" ")}`);
out.push(`frames: ${frames} (${unknown} [unknown]); avg depth ${(frames / Math.max(1, samples.length)).toFixed(1)}`);
out.push(`per comm: ${[...byComm].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([c, n]) => `${c}=${n}`).join(", ")}${byComm.size > 15 ? `, ... (${byComm.size} comms)` : ""}`);
let missing = [];
for (const arg of names) {
  const optional = arg.startsWith("?");
  const name = optional ? arg.slice(1) : arg;
  const n = samples.filter((s) => s.frames.some((f) => f.sym.includes(name))).length;
  const leaf = samples.filter((s) => s.frames[0]?.sym.includes(name)).length;
  out.push(`  ${name}: in ${n} samples (leaf in ${leaf})${optional ? " [optional]" : ""}`);
  if (n === 0 && !optional) missing.push(name);
}
let reportMismatch = false;
if (reportFile) {
  // rows like "    50.00%    50.00%           247  walker-0" (Children, Self, Samples, Command)
  // or "    50.00%            99  walker-0" (no call graphs: Overhead, Samples, Command)
  const rows = readFileSync(reportFile, "utf8").split("\n").filter((l) => /^\s+[\d.]+%\s/.test(l));
  const fromReport = new Map();
  for (const l of rows) {
    const m = /^\s+[\d.]+%\s+(?:[\d.]+%\s+)?(\d+)\s+(.*?)\s*$/.exec(l);
    if (m) fromReport.set(m[2], Number(m[1]));
  }
  const diffs = [];
  for (const c of new Set([...byComm.keys(), ...fromReport.keys()])) {
    if ((byComm.get(c) ?? 0) !== (fromReport.get(c) ?? 0)) diffs.push(`${c}: ours ${byComm.get(c) ?? 0}, perf report ${fromReport.get(c) ?? 0}`);
  }
  reportMismatch = diffs.length > 0;
  out.push(reportMismatch ? `per-comm counts DIFFER from ${reportFile}: ${diffs.join("; ")}` : `per-comm counts match ${reportFile} (${fromReport.size} comms)`);
}
console.log(out.join("\n"));
if (reportMismatch) process.exitCode = 1;
if (require && missing.length) {
  console.error(`MISSING in ${file}: ${missing.join(", ")}`);
  process.exit(1);
}
