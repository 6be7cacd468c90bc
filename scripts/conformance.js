#!/usr/bin/env node
// Runs the shared stackcollapse-perf conformance corpus (../shared/corpus/perf) against
// `subsecond collapse`. The corpus is not part of this repository: without it this
// says so loudly and exits 0, so a clone without ../shared still passes.
import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const corpus = resolve(process.env.SUBSECOND_CORPUS ?? join(root, "..", "shared", "corpus", "perf"));
const runner = join(corpus, "run.sh");
if (!existsSync(runner)) {
  const bar = "!".repeat(78);
  console.log(`${bar}\nSKIPPED: conformance corpus not found at ${corpus}\n(set SUBSECOND_CORPUS to its folder to run the 105 stackcollapse-perf cases)\n${bar}`);
  process.exit(0);
}
const result = spawnSync("bash", [runner, process.execPath, join(root, "bin", "subsecond.js"), "collapse"], {stdio: "inherit"});
process.exit(result.status ?? 1);
