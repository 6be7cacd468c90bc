#!/usr/bin/env node
// The pattern detectors on the seventeen synthetic patterns of Gregg's guide, under
// several variations (seeds, CPU counts, lengths, 49 and 99 Hz): for each, whether
// every expected pattern is found with its parameters and nothing else above the
// default confidence (src/lib/synth/expected.ts says what is expected), the worst
// period, busy-time and phase errors, and the detectors' time.
//
//   node bench/patterns-synthetic.js          # the table (about a minute)
//   node bench/patterns-synthetic.js --json   # the same as JSON
import {mkdirSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {bundleForNode} from "../scripts/bundle.js";

const root = join(fileURLToPath(import.meta.url), "..", "..");
const data = join(root, "bench", "data");
mkdirSync(data, {recursive: true});
const entry = join(data, "patterns-lib.mjs");
await bundleForNode({
  stdin: {contents: `export * from "./src/lib/index.ts";`, resolveDir: root, loader: "ts"},
  outfile: entry,
});
const {PATTERN_NAMES, findPatterns, parsePerfScript, scoreSynthetic, synthesize, synthPlan} = await import(pathToFileURL(entry).href);

const VARIATIONS = [
  {name: "defaults (4 CPUs, 49 Hz, seed 1)", options: {}},
  {name: "2 CPUs, seed 3", options: {seed: 3, cpus: 2}},
  {name: "8 CPUs, 90 s, seed 4", options: {seed: 4, cpus: 8, seconds: 90}},
  {name: "99 Hz, seed 6", options: {seed: 6, hz: 99}},
  {name: "2 CPUs, 99 Hz, seed 5", options: {seed: 5, hz: 99, cpus: 2}},
  {name: "4 CPUs, 120 s, seed 11", options: {seed: 11, seconds: 120}},
];

const rows = [];
for (const v of VARIATIONS) {
  for (const name of PATTERN_NAMES) {
    const profile = parsePerfScript(synthesize(name, v.options), {source: name});
    const t0 = performance.now();
    const found = findPatterns(profile);
    const ms = performance.now() - t0;
    const result = scoreSynthetic(found, synthPlan(name, v.options));
    const max = (key) => Math.max(0, ...result.scores.map((s) => s[key] ?? 0));
    rows.push({variation: v.name, pattern: name, ok: result.ok, extra: result.extra.map((p) => p.label), missed: result.scores.filter((s) => !s.ok).map((s) => s.expected.kind),
      periodError: max("periodError"), busyError: max("busyError"), phaseErrorMs: max("phaseErrorMs"), samples: profile.samples.length, ms: Math.round(ms)});
  }
}

if (process.argv.includes("--json")) {
  process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
} else {
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  console.log("| variation | patterns found right | extra instances | worst period error | worst busy-time error | worst phase error | detector time (median, max) |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const v of VARIATIONS) {
    const r = rows.filter((x) => x.variation === v.name);
    const times = r.map((x) => x.ms).sort((a, b) => a - b);
    console.log(`| ${v.name} | ${r.filter((x) => x.ok).length}/${r.length} | ${r.reduce((s, x) => s + x.extra.length, 0)} | ${pct(Math.max(...r.map((x) => x.periodError)))} | ${pct(Math.max(...r.map((x) => x.busyError)))} | ${Math.max(...r.map((x) => x.phaseErrorMs)).toFixed(1)} ms | ${times[times.length >> 1]} ms, ${times[times.length - 1]} ms |`);
  }
  const wrong = rows.filter((x) => !x.ok);
  if (wrong.length) {
    console.log("\nnot right:");
    for (const x of wrong) console.log(`  ${x.variation} / ${x.pattern}: missed ${x.missed.join(", ") || "nothing"}; extra ${x.extra.join("; ") || "none"}`);
  }
}
