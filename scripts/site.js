#!/usr/bin/env node
// The report site (Observable Framework, config in observablehq.config.ts):
//
//   node scripts/site.js preview [--profiles DIR] [--port N]            live preview, prints its URL
//   node scripts/site.js build   [--profiles DIR] [--out DIR] [--strict] the static site (default dist/)
//
// `npm start` / `npm run dev` preview and `npm run build` builds the bundled examples;
// `subsecond report DIR --out OUT` runs the build for any folder of profiles.
// SUBSECOND_PROFILES=DIR works like --profiles.
//
// A build is made in a fresh staging folder of its own under node_modules/.cache and
// then moved into OUT, which must be new, empty or an earlier report
// (src/cli/report-out.ts). Files of the folder that are not shown, and sidecars or
// notes that could not be used, are listed at the end; with --strict the build then
// exits with status STRICT_STATUS (the report is still written).
import {spawn} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from "node:fs";
import {delimiter, dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs} from "node:util";
import {register} from "tsx/esm/api";

// The folder rules and the profile listing are TypeScript, shared with the CLI and the
// site's loaders.
register();
const {checkOut, installReport} = await import("../src/cli/report-out.ts");
const {scanProfilesFolder} = await import("../src/data/site-profiles.ts");
const {secureReport} = await import("../src/cli/report-csp.ts");
const {escapeTerminal} = await import("../src/lib/render/escape.ts");
const {acquireBuildLock} = await import("../src/cli/build-lock.ts");

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const observable = join(root, "node_modules", "@observablehq", "framework", "dist", "bin", "observable.js");
const usage = "usage: node scripts/site.js preview|build [--profiles DIR] [--out DIR] [--port N] [--strict]";

/** The exit status of a build written but failed by --strict (src/cli/report.ts). */
const STRICT_STATUS = 3;

// File names, and reasons that quote a file's text, are untrusted: escapeTerminal shows
// escape sequences and bidirectional controls in them as codes.
function fail(message, status = 1) {
  process.stderr.write(`site: ${escapeTerminal(message)}\n`);
  process.exit(status);
}

let args;
try {
  args = parseArgs({allowPositionals: true, options: {profiles: {type: "string"}, out: {type: "string"}, port: {type: "string"}, strict: {type: "boolean"}}});
} catch (e) {
  fail(`${e.message}\n${usage}`, 2);
}
const [command] = args.positionals;
if (command !== "preview" && command !== "build") fail(usage, 2);

const profiles = resolve(args.values.profiles ?? process.env.SUBSECOND_PROFILES ?? join(root, "examples"));
if (!existsSync(profiles) || !statSync(profiles).isDirectory()) fail(`no such profiles folder: ${profiles}`);

const cacheDir = join(root, "node_modules", ".cache", "subsecond");

/** Waits for this checkout's other build or preview to end (they share Framework's
 * cache: src/cli/build-lock.ts; released when this script exits), then clears the
 * pages and loader outputs generated for the last folder: Framework caches loader
 * output by the loader's own modification time only, so pages and artifacts made from
 * another folder (or older profiles) would be served stale. Its cache of bundled npm
 * modules stays. */
async function takeTurn() {
  mkdirSync(cacheDir, {recursive: true});
  await acquireBuildLock(join(cacheDir, "build.lock"), {
    onWait: (pid) => process.stderr.write(`site: waiting for another build or preview of this checkout to end (process ${pid})\n`),
  });
  const cache = join(root, "src", ".observablehq", "cache");
  for (const generated of ["index.md", "profiles", join("data", "profiles"), join("data", "not-shown.json")]) rmSync(join(cache, generated), {recursive: true, force: true});
}

// Framework runs TypeScript loaders with `tsx` from the PATH.
const path = [join(root, "node_modules", ".bin"), process.env.PATH].filter(Boolean).join(delimiter);
const env = {...process.env, PATH: path, SUBSECOND_PROFILES: profiles, OBSERVABLE_TELEMETRY_DISABLE: "true"};
// A build log that goes to a file or a CI log (not a terminal) holds no terminal
// controls at all, so that a reader of it can tell escaped file names from real
// escapes: Framework's colours go, even when FORCE_COLOR asks for them.
if (!process.stdout.isTTY || !process.stderr.isTTY) {
  delete env.FORCE_COLOR;
  env.NO_COLOR = "1";
}

function run(argv, extraEnv = {}) {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [observable, ...argv], {cwd: root, env: {...env, ...extraEnv}, stdio: "inherit"});
    // Stopping this script stops Framework too (a terminal's Ctrl-C reaches both anyway).
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
    child.on("close", (code, signal) => resolveRun(signal ? 1 : code));
  });
}

/** One line per file: "  NAME: WHY". */
const listed = (items) => items.map(({file, text}) => `${escapeTerminal(`  ${JSON.stringify(file)}: ${text}`)}\n`).join("");

if (command === "preview") {
  await takeTurn();
  process.stderr.write(`${escapeTerminal(`site: previewing the profiles in ${profiles}`)}\n`);
  process.exitCode = await run(["preview", "--no-open", ...(args.values.port ? ["--port", args.values.port] : [])]);
} else {
  const out = resolve(args.values.out ?? join(root, "dist"));
  try {
    checkOut(out, profiles, root);
  } catch (e) {
    fail(e.message);
  }
  const folder = scanProfilesFolder(profiles);
  const skipped = folder.notShown.map(({file, reason}) => ({file, text: reason}));
  if (folder.profiles.length === 0) fail(`no profiles in ${profiles} (perf script text, plain or gzip)\n${listed(skipped)}`.trimEnd());
  const count = (n, what) => `${n} ${what}${n === 1 ? "" : "s"}`;
  process.stderr.write(`${escapeTerminal(`site: building ${count(folder.profiles.length, "profile")} from ${profiles} into ${out}${skipped.length ? ` (${count(skipped.length, "other file")} not shown)` : ""}`)}\n`);

  await takeTurn();
  // Framework empties its output folder: give it one of our own, never the user's.
  const staging = mkdtempSync(join(cacheDir, "build-"));
  const site = join(staging, "site");
  const log = join(staging, "log");
  mkdirSync(log);
  const code = await run(["build"], {SUBSECOND_SITE_OUT: site, SUBSECOND_BUILD_LOG: log});
  const outcomes = readdirSync(log).map((f) => JSON.parse(readFileSync(join(log, f), "utf8")));
  let failure = code === 0 ? null : `the build failed (exit status ${code})`;
  if (!failure) {
    try {
      secureReport(site); // every page gets the report's Content-Security-Policy
      installReport(site, out, profiles, root);
    } catch (e) {
      failure = e.message; // a page without a <head>, or OUT changed during the build
    }
  }
  rmSync(staging, {recursive: true, force: true});
  if (failure) fail(failure);

  const notShown = [...skipped, ...outcomes.filter((o) => o.error).map((o) => ({file: o.file, text: o.error}))].sort((a, b) => (a.file < b.file ? -1 : 1));
  const warnings = outcomes.flatMap((o) => o.warnings.map((text) => ({file: o.file, text})));
  if (notShown.length) process.stderr.write(`site: not shown (the index page lists them too):\n${listed(notShown)}`);
  if (warnings.length) process.stderr.write(`site: shown without what these warnings name:\n${listed(warnings)}`);
  process.stderr.write(`${escapeTerminal(`site: done: open ${join(out, "index.html")} through any static file server`)}\n`);
  if (args.values.strict && (notShown.length || warnings.length)) {
    fail(`--strict: ${count(notShown.length, "file")} not shown, ${count(warnings.length, "warning")}`, STRICT_STATUS);
  }
}
