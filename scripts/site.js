#!/usr/bin/env node
// The report site (Observable Framework, config in observablehq.config.ts):
//
//   node scripts/site.js preview [--profiles DIR] [--port N]   live preview, prints its URL
//   node scripts/site.js build   [--profiles DIR] [--out DIR]  the static site (default dist/)
//
// `npm start` / `npm run dev` preview and `npm run build` builds the bundled examples;
// `subsecond report DIR --out OUT` runs the build for any folder of profiles.
// SUBSECOND_PROFILES=DIR works like --profiles.
import {spawn} from "node:child_process";
import {cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync} from "node:fs";
import {delimiter, dirname, join, relative, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs} from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const observable = join(root, "node_modules", "@observablehq", "framework", "dist", "bin", "observable.js");
const usage = "usage: node scripts/site.js preview|build [--profiles DIR] [--out DIR] [--port N]";

function fail(message, status = 1) {
  process.stderr.write(`site: ${message}\n`);
  process.exit(status);
}

let args;
try {
  args = parseArgs({allowPositionals: true, options: {profiles: {type: "string"}, out: {type: "string"}, port: {type: "string"}}});
} catch (e) {
  fail(`${e.message}\n${usage}`, 2);
}
const [command] = args.positionals;
if (command !== "preview" && command !== "build") fail(usage, 2);

const profiles = resolve(args.values.profiles ?? process.env.SUBSECOND_PROFILES ?? join(root, "examples"));
if (!existsSync(profiles)) fail(`no such profiles folder: ${profiles}`);

// Framework caches loader output by the loader's own modification time only, so pages
// and artifacts made from another folder (or older profiles) would be served stale:
// drop them. Its cache of bundled npm modules stays.
const cache = join(root, "src", ".observablehq", "cache");
for (const generated of ["index.md", "profiles", join("data", "profiles")]) rmSync(join(cache, generated), {recursive: true, force: true});

// Framework runs TypeScript loaders with `tsx` from the PATH.
const path = [join(root, "node_modules", ".bin"), process.env.PATH].filter(Boolean).join(delimiter);
const env = {...process.env, PATH: path, SUBSECOND_PROFILES: profiles, OBSERVABLE_TELEMETRY_DISABLE: "true"};

function run(argv, extraEnv = {}) {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [observable, ...argv], {cwd: root, env: {...env, ...extraEnv}, stdio: "inherit"});
    // Stopping this script stops Framework too (a terminal's Ctrl-C reaches both anyway).
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
    child.on("close", (code, signal) => resolveRun(signal ? 1 : code));
  });
}

if (command === "preview") {
  process.stderr.write(`site: previewing the profiles in ${profiles}\n`);
  process.exitCode = await run(["preview", "--no-open", ...(args.values.port ? ["--port", args.values.port] : [])]);
} else {
  const out = resolve(args.values.out ?? join(root, "dist"));
  // Framework empties its output folder itself only inside the working directory; a
  // folder elsewhere is built beside the sources first, then moved into place.
  const inside = !relative(root, out).startsWith("..");
  const staging = inside ? out : join(root, "node_modules", ".cache", "subsecond", "site");
  if (!inside && existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, "_observablehq"))) {
    fail(`${out} is not empty and is not a subsecond site: choose a new or empty folder`);
  }
  process.stderr.write(`site: building the profiles in ${profiles} into ${out}\n`);
  rmSync(staging, {recursive: true, force: true}); // what an interrupted build left
  const code = await run(["build"], {SUBSECOND_SITE_OUT: staging});
  if (code !== 0) fail(`the build failed (exit status ${code})`);
  if (!inside) {
    rmSync(out, {recursive: true, force: true});
    mkdirSync(dirname(out), {recursive: true});
    try {
      renameSync(staging, out);
    } catch {
      cpSync(staging, out, {recursive: true}); // another file system
      rmSync(staging, {recursive: true, force: true});
    }
  }
  process.stderr.write(`site: done: open ${join(out, "index.html")} through any static file server\n`);
}
