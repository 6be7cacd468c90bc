// The benchmark's side-by-side table: on one input, the two floors, `subsecond info`,
// `subsecond collapse` and FlameGraph's stackcollapse-perf.pl, each run as a whole
// process the way a user runs it (output to /dev/null), round-robin so that a noisy
// moment of a shared machine hits every command alike.
import {existsSync, mkdirSync} from "node:fs";
import {availableParallelism} from "node:os";
import {basename, dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {measureProcess} from "./measure-process.js";
import {median} from "./stats.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const CLI = join(root, "bin", "subsecond.js");
const FLOOR = join(here, "floor.mjs");
/** The peer, kept outside the project (never copied into it). */
export const PEER_COLLAPSE = join(root, "..", "shared", "peers", "stackcollapse-perf.pl");

/** Threads the CLI reads with by default (src/node/parallel.ts). */
export const THREADS = availableParallelism();
const ONE_THREAD = {SUBSECOND_THREADS: "1"};

/** The commands, in the table's order. The peer is left out when it is absent. */
export function sideBySideCommands(file) {
  const node = process.execPath;
  const commands = [
    {key: "floorStream", name: "floor: stream (1 MiB chunks) + indexOf", command: node, args: [FLOOR, "stream", file]},
    {key: "floorWhole", name: "floor: readFileSync + indexOf", command: node, args: [FLOOR, "whole", file]},
    {key: "info", name: `subsecond info (${THREADS} threads)`, command: node, args: [CLI, "info", file], profile: true},
    {key: "collapse", name: `subsecond collapse (${THREADS} threads)`, command: node, args: [CLI, "collapse", file], profile: true},
    // Reading on one thread (SUBSECOND_THREADS=1), for the gain of the others.
    {key: "infoOneThread", name: "subsecond info, 1 thread", command: node, args: [CLI, "info", file], env: ONE_THREAD},
    {key: "collapseOneThread", name: "subsecond collapse, 1 thread", command: node, args: [CLI, "collapse", file], env: ONE_THREAD},
  ];
  if (existsSync(PEER_COLLAPSE)) commands.push({key: "perl", name: "stackcollapse-perf.pl", command: "perl", args: [PEER_COLLAPSE, file]});
  return commands;
}

/** Runs every command `runs` times, round-robin, after one untimed warm-up run of the
 * node commands (page cache, the CLI's bundle). With `cpuProfDir`, one more untimed run
 * of info and collapse writes a V8 CPU profile there. `log` gets a line per run.
 * Returns {peer: boolean, commands: {key: {name, msMedian, msMin, rssMiBMax, runs}}}. */
export function sideBySide({file, runs, meter, label, cpuProfDir, log}) {
  const commands = sideBySideCommands(file);
  for (const c of commands) if (c.command === process.execPath) measureProcess(meter, c.command, c.args, c.env);
  if (cpuProfDir) {
    mkdirSync(cpuProfDir, {recursive: true});
    for (const c of commands.filter((c) => c.profile)) {
      const name = `cli-${c.key}-${label ?? basename(file)}-${Date.now()}.cpuprofile`;
      measureProcess(meter, c.command, ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=${name}`, ...c.args]);
    }
  }
  const results = new Map(commands.map((c) => [c.key, []]));
  for (let r = 0; r < runs; r++) {
    for (const c of commands) {
      const m = measureProcess(meter, c.command, c.args, c.env);
      results.get(c.key).push(m);
      const rss = m.maxRssKiB === null ? "peak RSS not measured" : `peak RSS ${(m.maxRssKiB / 1024).toFixed(0)} MiB`;
      log?.(`  ${label ?? ""} ${c.key} run ${r + 1}/${runs}: ${m.ms.toFixed(0)} ms, ${rss}`);
    }
  }
  const summary = {};
  for (const c of commands) {
    const ms = results.get(c.key).map((m) => m.ms);
    const rss = results.get(c.key).map((m) => m.maxRssKiB).filter((k) => k !== null).map((k) => k / 1024);
    summary[c.key] = {
      name: c.name,
      msMedian: median(ms),
      msMin: Math.min(...ms),
      rssMiBMax: rss.length ? Math.max(...rss) : null,
      runs: results.get(c.key).map((m) => ({ms: m.ms, rssMiB: m.maxRssKiB === null ? null : m.maxRssKiB / 1024})),
    };
  }
  return {peer: commands.some((c) => c.key === "perl"), commands: summary};
}
