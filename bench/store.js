// The profile store's benchmark (not a test): real captures (examples/) parsed once and
// added many times with host names and shifted start times, then the fleet heat map
// and a one-minute flame graph across all hosts, timed on DuckDB.
//
//   node bench/store.js [--replicas N] [--hosts H] [--files A,B…] [--data DIR] [--step ingest|queries]
//
// Default: the three examples as 210 captures on 21 hosts. The stores are written to
// DIR/store*/ (default bench/data, git-ignored), made anew by the ingest step; `--step
// ingest` stops before the queries and `--step queries` runs only them, on the store an
// ingest left, so the ingest can run niced and the queries on a quiet machine.
import {execSync} from "node:child_process";
import {createHash} from "node:crypto";
import {mkdirSync, readFileSync, rmSync, statSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {parseArgs} from "node:util";
import {bundleForNode} from "../scripts/bundle.js";

const root = join(fileURLToPath(import.meta.url), "..", "..");
const {values} = parseArgs({options: {replicas: {type: "string"}, hosts: {type: "string"}, files: {type: "string"}, data: {type: "string"}, step: {type: "string"}}});
const replicas = Number(values.replicas ?? 210), hosts = Number(values.hosts ?? 21);
const step = values.step ?? "all";
if (!["all", "ingest", "queries"].includes(step)) throw new Error("--step takes ingest or queries");
const data = values.data ?? join(root, "bench", "data");
mkdirSync(data, {recursive: true});
// The bundle stays in the checkout, where Node finds its packages (DuckDB).
mkdirSync(join(root, "bench", "data"), {recursive: true});
const entry = join(root, "bench", "data", "store-lib.mjs");
await bundleForNode({
  stdin: {contents: `export {ProfileStore, fileContentHash} from "./src/node/store/store.ts"; export {readProfile} from "./src/node/index.ts"; export {summarize} from "./src/lib/summary.ts"; export {wallClockMs} from "./src/lib/profile.ts";`, resolveDir: root, loader: "ts"},
  outfile: entry,
});
const {ProfileStore, fileContentHash, readProfile, summarize, wallClockMs} = await import(pathToFileURL(entry).href);

const files = values.files ? values.files.split(",") : ["c-global-lock", "jvm-g1-gc", "node-cache-refresh"].map((n) => join(root, "examples", `${n}.perf.gz`));
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const textBytes = (f) => execSync(`gzip -dc ${JSON.stringify(f)} | wc -c`).toString().trim() * 1;

const ingestDir = join(data, "store-ingest"), dir = join(data, "store");
const base = Date.UTC(2026, 11, 1, 23, 0, 0);
if (step !== "queries") {
  // Ingest against `info` (parse + summarize) on the same files.
  let infoMs = 0, addMs = 0, mb = 0;
  for (const d of [ingestDir, dir]) rmSync(d, {recursive: true, force: true});
  const ingest = await ProfileStore.open(ingestDir, {create: true});
  const parsed = [];
  for (const f of files) {
    mb += textBytes(f) / 1e6;
    let t0 = process.hrtime.bigint();
    summarize(await readProfile(f));
    infoMs += ms(t0);
    t0 = process.hrtime.bigint();
    const {hash, bytes} = fileContentHash(f);
    const profile = await readProfile(f);
    await ingest.add(profile, {contentHash: hash, bytes, host: "seed"});
    addMs += ms(t0);
    parsed.push({profile, hash, bytes, gz: statSync(f).size});
  }
  await ingest.close();
  console.log(`ingest: ${mb.toFixed(1)} MB of text; info ${(mb / (infoMs / 1000)).toFixed(1)} MB/s, store add ${(mb / (addMs / 1000)).toFixed(1)} MB/s`);

  // Replicas, in a store of their own: host i % hosts, every `hosts` replicas one 15-minute slot later.
  const store = await ProfileStore.open(dir, {create: true});
  let samples = 0, gz = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < replicas; i++) {
    const src = parsed[i % parsed.length];
    const slot = Math.floor(i / hosts);
    await store.add(src.profile, {contentHash: createHash("sha256").update(`${src.hash} replica ${i}`).digest("hex"), bytes: src.bytes, host: `host-${String(i % hosts).padStart(2, "0")}`, originWallClockMs: base + slot * 900_000 + (i % 7) * 1000, labels: {replica: String(i)}});
    samples += src.profile.samples.length;
    gz += src.gz;
  }
  const replicaMs = ms(t0);
  const peak = process.resourceUsage().maxRSS / 1024;
  const size = Number(execSync(`du -sb ${JSON.stringify(dir)}`).toString().split("\t")[0]);
  console.log(`store: ${replicas} captures, ${samples.toLocaleString("en-US")} samples, added in ${(replicaMs / 1000).toFixed(1)} s (${(samples / (replicaMs / 1000) / 1e6).toFixed(2)} M samples/s); peak RSS ${peak.toFixed(0)} MiB`);
  console.log(`size: Parquet dataset ${(size / 1e6).toFixed(1)} MB vs gzipped text ${(gz / 1e6).toFixed(1)} MB (${(size / gz).toFixed(2)}×)`);
  await store.close();
  // Correctness: every capture's stored sample count is its source's (info's) count.
  const expected = new Map(parsed.map((p) => [p.profile.source, p.profile.samples.length]));
  const check = await ProfileStore.open(dir);
  const counts = await check.query("SELECT p.source, p.samples::BIGINT AS listed, count(s.profile)::BIGINT AS stored FROM profiles p LEFT JOIN samples s USING (profile) GROUP BY p.profile, p.source, p.samples");
  await check.close();
  const wrong = counts.filter((r) => Number(r.listed) !== expected.get(r.source) || Number(r.stored) !== expected.get(r.source));
  if (counts.length !== replicas || wrong.length) throw new Error(`stored counts differ from the sources' for ${wrong.length} of ${counts.length} captures`);
  console.log(`check: each of the ${counts.length} captures holds its source's sample count`);
}
if (step === "ingest") process.exit(0);

// Queries on a fresh open, as a command would run them: best of 3.
const reader = await ProfileStore.open(dir);
const best = async (f) => {
  let b = Infinity, r;
  for (let k = 0; k < 3; k++) {
    const t = process.hrtime.bigint();
    r = await f();
    b = Math.min(b, ms(t));
  }
  return [b, r];
};
const [heatMs, map] = await best(() => reader.heatmap({}));
console.log(`fleet heat map over all: ${heatMs.toFixed(0)} ms (${map.columns} columns × ${map.rows} rows, ${map.samples.toLocaleString("en-US")} samples)`);
const from = BigInt(base + 5_000) * 1_000_000n;
const [flameMs, tree] = await best(() => reader.flameTree({range: {from, to: from + 60_000_000_000n}}));
console.log(`one-minute flame graph across ${hosts} hosts: ${flameMs.toFixed(0)} ms (${tree.samples.toLocaleString("en-US")} samples)`);
await reader.close();
