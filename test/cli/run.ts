// The command line run as a user runs it (`node bin/subsecond.js …`), with inputs written
// to a temporary folder of each test file's own.
import {spawnSync} from "node:child_process";
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {perfText} from "../helpers.js";

const BIN = new URL("../../bin/subsecond.js", import.meta.url).pathname;
/** The real captures of test/fixtures/perf (scripts/record/). */
export const FIXTURES = new URL("../fixtures/perf/", import.meta.url).pathname;

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `subsecond ARGS…` with `input` on standard input and `env` added to the environment. */
export function runCli(args: string[], {input, env = {}}: {input?: string | Uint8Array; env?: Record<string, string>} = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {input, encoding: "utf8", maxBuffer: 64 << 20, env: {...process.env, ...env}});
  return {status: r.status, stdout: r.stdout, stderr: r.stderr};
}

/** A new temporary folder, and a function that writes a file into it and returns its path. */
export function tempFolder(prefix: string): {dir: string; file: (name: string, content: string | Uint8Array) => string} {
  const dir = mkdtempSync(join(tmpdir(), `subsecond-${prefix}-`));
  return {
    dir,
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}

/** Four samples over three seconds: two comms (one with a space), two events. */
export const FOUR_SAMPLES = perfText([
  {time: "10.100000", stack: ["main", "parse"]},
  {time: "10.300000", stack: ["main", "eval"]},
  {time: "11.300000", stack: ["main", "eval"], comm: "web server", tid: 7},
  {time: "12.250000", stack: ["main", "gc"], event: "page-faults"},
]);
