#!/usr/bin/env node
// The pattern detectors on real captures whose workloads logged their own episodes
// (test/fixtures/patterns/, scripts/record/record-patterns.sh): per capture and kind,
// the logged episodes, those holding samples of the episode's own work, those found
// as their own occurrence of their kind (recall), those some occurrence of any kind
// matches (seen), and the occurrences that are a logged episode (precision). The captures were made while the recording machine's other processes
// were held to 15 % of a CPU in 100 ms slices, which the detectors rightly see as
// 100 ms rhythms: the score is on the workload's own samples (--comm).
//
//   node bench/patterns.js [--json]
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {bundleForNode} from "../scripts/bundle.js";

const root = join(fileURLToPath(import.meta.url), "..", "..");
const entry = join(root, "bench", "data", "patterns-real-lib.mjs");
await bundleForNode({
  stdin: {contents: `export * from "./src/lib/index.ts"; export {readProfile} from "./src/node/index.ts"; export {episodesFromLog, scoreEpisodes} from "./src/lib/patterns/score.ts";`, resolveDir: root, loader: "ts"},
  outfile: entry,
});
const lib = await import(pathToFileURL(entry).href);
const {CAPTURES, scoreCapture} = await import(pathToFileURL(join(root, "test", "fixtures", "patterns", "captures.mjs")).href);

const rows = [];
for (const capture of CAPTURES) {
  const t0 = performance.now();
  const scores = await scoreCapture(lib, capture);
  rows.push(...scores.map((s) => ({capture: capture.name, ...s, ms: Math.round(performance.now() - t0)})));
}
if (process.argv.includes("--json")) process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
else {
  console.log("| capture | kind | episodes | with samples | recalled | seen as any kind | occurrences | precise |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) console.log(`| ${r.capture} | ${r.kind} | ${r.episodes} | ${r.withSamples} | ${r.recalled} | ${r.seen} | ${r.occurrences} | ${r.precise} |`);
  const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
  const pct = (a, b) => `${Math.round((100 * sum(a)) / Math.max(1, sum(b)))} %`;
  console.log(`| all | | ${sum("episodes")} | ${sum("withSamples")} | ${sum("recalled")} (${pct("recalled", "withSamples")}) | ${sum("seen")} (${pct("seen", "withSamples")}) | ${sum("occurrences")} | ${sum("precise")} (${pct("precise", "occurrences")}) |`);
}
