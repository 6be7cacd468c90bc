#!/usr/bin/env node
// fix-perf-map.mjs: make a JIT perf map (/tmp/perf-PID.map) unambiguous before
// `perf script` reads it.
//
// `node --perf-basic-prof` appends a line "START SIZE NAME" (hex START/SIZE)
// every time V8 creates code, so when code is freed and the space reused, older
// entries overlap newer ones and perf may resolve an address to a stale name.
// The newest entry wins: walk the file from the end and keep an entry only if
// it overlaps no entry kept so far. The kept entries are written back in
// ascending address order. The original is kept as FILE.orig unless
// --no-backup is given.
//
// Usage: node fix-perf-map.mjs [--no-backup] /tmp/perf-PID.map [...]
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const backup = !args.includes("--no-backup");
const files = args.filter((a) => a !== "--no-backup");
if (files.length === 0) {
  console.error("usage: fix-perf-map.mjs [--no-backup] /tmp/perf-PID.map [...]");
  process.exit(2);
}

/** Index of the first kept interval whose start is > addr (kept is sorted by start). */
function upperBound(kept, addr) {
  let lo = 0;
  let hi = kept.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (kept[mid].start <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

for (const file of files) {
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0);
  const kept = []; // sorted by start, non-overlapping
  let dropped = 0;
  let malformed = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    // node writes "7f0c1a2b3c40 1f0 JS:*name"; the JVM writes "0x00007f... 0x0000... name"
    const m = /^(?:0x)?([0-9a-fA-F]+) (?:0x)?([0-9a-fA-F]+) (.*)$/.exec(lines[i]);
    if (!m) {
      malformed++;
      continue;
    }
    const start = BigInt("0x" + m[1]);
    const size = BigInt("0x" + m[2]);
    const end = start + (size > 0n ? size : 1n);
    const at = upperBound(kept, start);
    const prev = kept[at - 1];
    const next = kept[at];
    if ((prev && prev.end > start) || (next && next.start < end)) {
      dropped++;
      continue;
    }
    kept.splice(at, 0, { start, end, line: lines[i] });
  }
  if (malformed > 0 || (kept.length === 0 && lines.length > 0)) {
    console.error(`${file}: ${malformed} lines not in "START SIZE NAME" form; left unchanged`);
    process.exitCode = 1;
    continue;
  }
  if (backup) copyFileSync(file, file + ".orig");
  writeFileSync(file, kept.map((k) => k.line).join("\n") + "\n");
  console.log(`${file}: ${lines.length} entries, kept ${kept.length}, dropped ${dropped} overlapped older entries`);
}
