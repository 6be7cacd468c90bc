#!/usr/bin/env node
// The whole test suite, as CI and the README run it: the type check, every vitest file
// (library, CLI, SVG snapshots, notebooks, the report site in Chromium) and the shared
// stackcollapse-perf conformance corpus. Ends with one plain line "N passed, M failed".
// Arguments are passed to vitest (e.g. a test file filter).
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const node = process.execPath;
let passed = 0;
let failed = 0;
const report = [];

function step(name, ok, detail) {
  report.push(`${ok ? "ok  " : "FAIL"}  ${name}${detail ? `: ${detail}` : ""}`);
}

// 1. Type check.
const tsc = spawnSync(node, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", root], {stdio: "inherit"});
tsc.status === 0 ? passed++ : failed++;
step("typecheck", tsc.status === 0);

// 2. vitest, read through its JSON report.
const dir = mkdtempSync(join(tmpdir(), "subsecond-test-"));
const json = join(dir, "vitest.json");
const vitest = spawnSync(
  node,
  [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${json}`, ...process.argv.slice(2)],
  {stdio: "inherit", cwd: root},
);
try {
  const result = JSON.parse(readFileSync(json, "utf8"));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  // A file that fails to load has no tests to count: count it as one failure.
  const broken = result.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0);
  failed += broken.length;
  step("vitest", result.numFailedTests === 0 && broken.length === 0, `${result.numPassedTests} passed, ${result.numFailedTests + broken.length} failed`);
} catch {
  failed++;
  step("vitest", false, `no JSON report (exit status ${vitest.status})`);
}
rmSync(dir, {recursive: true, force: true});

// 3. The conformance corpus (skips loudly when ../shared is absent).
if (process.argv.length <= 2) {
  const conf = spawnSync(node, [join(root, "scripts", "conformance.js")], {encoding: "utf8"});
  process.stdout.write(conf.stdout.split("\n").filter((l) => !l.startsWith("pass ")).join("\n"));
  const m = /(\d+) passed, (\d+) failed\s*$/.exec(conf.stdout);
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
    step("conformance", m[2] === "0", `${m[1]} passed, ${m[2]} failed`);
  } else if (/SKIPPED/.test(conf.stdout)) {
    step("conformance", true, "skipped: corpus not found");
  } else {
    failed++;
    step("conformance", false, `exit status ${conf.status}`);
  }
}

console.log(`\n${report.join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
