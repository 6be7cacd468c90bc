#!/usr/bin/env node
// The hot functions of a V8 CPU profile (`node --cpu-prof`, or `node bench/run.js
// --cpu-prof`): self and total time per function, largest self first.
// Usage: node bench/cpuprof-top.js FILE.cpuprofile [LIMIT]
import {readFileSync} from "node:fs";

const [file, limitText] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: node bench/cpuprof-top.js FILE.cpuprofile [LIMIT]\n");
  process.exit(2);
}
const limit = Number(limitText ?? 15);
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Sample counts per node, from the samples and their time deltas.
const selfMs = new Map();
const {samples, timeDeltas} = prof;
for (let i = 0; i < samples.length; i++) {
  const dt = (timeDeltas[i + 1] ?? timeDeltas[i] ?? 0) / 1000;
  selfMs.set(samples[i], (selfMs.get(samples[i]) ?? 0) + dt);
}
const key = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\//, "")}:${f.lineNumber + 1}` : "";
  return `${f.functionName || "(anonymous)"} ${where}`.trim();
};
const rows = new Map();
let totalMs = 0;
for (const [id, ms] of selfMs) {
  totalMs += ms;
  const n = byId.get(id);
  const k = key(n);
  const row = rows.get(k) ?? {self: 0, total: 0};
  row.self += ms;
  rows.set(k, row);
  // Total: once per function per stack.
  const seen = new Set();
  for (let p = id; p !== undefined; p = parent.get(p)) {
    const pk = key(byId.get(p));
    if (seen.has(pk)) continue;
    seen.add(pk);
    const r = rows.get(pk) ?? {self: 0, total: 0};
    r.total += ms;
    rows.set(pk, r);
  }
}
const sorted = [...rows.entries()].sort((a, b) => b[1].self - a[1].self).slice(0, limit);
process.stdout.write(`${file}: ${totalMs.toFixed(0)} ms sampled\n`);
process.stdout.write(`${"self ms".padStart(9)} ${"self %".padStart(7)} ${"total ms".padStart(9)}  function\n`);
for (const [k, r] of sorted) {
  process.stdout.write(`${r.self.toFixed(0).padStart(9)} ${((100 * r.self) / totalMs).toFixed(1).padStart(6)}% ${r.total.toFixed(0).padStart(9)}  ${k}\n`);
}
