// `subsecond flamegraph` call-tree views, run as a user runs them: --transform,
// --invert, --sandwich, --threads, in each output format, and their usage errors.
import {spawnSync} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {CliError, parseCommandArgs} from "../../src/cli/common.js";
import {flamegraphCommand} from "../../src/cli/flamegraph.js";
import {perfText, sample, SMALL_TREE_SAMPLES} from "../helpers.js";

const BIN = new URL("../../bin/subsecond.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "subsecond-calltree-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const SMALL = join(dir, "small.perf");
writeFileSync(SMALL, perfText([...SMALL_TREE_SAMPLES, sample("2.50", ["run", "step~1"], {comm: "pool", tid: 9}), sample("2.60", ["run"], {comm: "pool", tid: 9})]));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, "flamegraph", ...args], {encoding: "utf8"});
  return {status: r.status, stdout: r.stdout, stderr: r.stderr};
}

describe("subsecond flamegraph: call-tree views", () => {
  it("--transform: the transformed tree, in folded stacks and JSON", () => {
    const folded = run(SMALL, "--transform", "mf-parse~df-gc", "--format", "folded");
    expect(folded.stderr).toBe("");
    expect(folded.stdout).toBe("app;main 1\napp;main;eval 2\napp;main;lex 2\npool;run 1\npool;run;step~1 1\nworker;work 1\n");
    // A name with the separator in it, percent-encoded.
    expect(run(SMALL, "--transform", "ff-step%7E1", "--format", "folded").stdout).toBe("step~1 1\n");
    const json = JSON.parse(run(SMALL, "--transform", "fs-app,main,eval", "--format", "json").stdout);
    expect(json.samples).toBe(4);
    expect(json.root.children.map((c: {name: string; total: number}) => `${c.name}:${c.total}`)).toEqual(["eval:4"]);
  });

  it("--invert: the bottom-up tree; --order total: left-heavy", () => {
    const json = JSON.parse(run(SMALL, "--invert", "--order", "total", "--format", "json").stdout);
    expect(json.root.children.map((c: {name: string; total: number; self: number}) => `${c.name}:${c.total}/${c.self}`)).toEqual(["eval:2/2", "gc:2/2", "lex:2/2", "parse:1/1", "run:1/1", "step~1:1/1", "work:1/1"]);
    const svg = run(SMALL, "--invert", "--transform", "mf-main");
    expect(svg.status).toBe(0);
    expect(svg.stdout).toContain("<title>gc (/usr/bin/app)\n2 samples, 20.00%; self 2</title>");
    expect(svg.stdout).toContain("merge main");
  });

  it("--sandwich: callers and callees, as SVG panels, JSON and a top list", () => {
    const svg = run(SMALL, "--sandwich", "eval");
    expect(svg.status).toBe(0);
    expect(svg.stdout).toContain(">callers of eval</text>");
    expect(svg.stdout).toContain(">callees of eval</text>");
    const json = JSON.parse(run(SMALL, "--sandwich", "eval", "--format", "json").stdout);
    expect([json.function, json.callers.samples, json.callees.samples]).toEqual(["eval", 4, 4]);
    expect(json.callers.root.children[0].children.map((c: {name: string}) => c.name)).toEqual(["main"]);
    const top = run(SMALL, "--sandwich", "ev", "--format", "top").stdout;
    expect(top).toContain("callers of eval\n          4  100.0%  main\n");
    expect(top).toMatch(/callees of eval\n\ntop functions by self\n\s+2\s+50\.0%\s+eval/);
  });

  it("--threads N: one tree per busiest thread", () => {
    const json = JSON.parse(run(SMALL, "--threads", "2", "--format", "json").stdout);
    expect(json.threads.map((t: {comm: string; tid: number; samples: number}) => `${t.comm} ${t.tid} ${t.samples}`)).toEqual(["app 100 8", "pool 9 2"]);
    const svg = run(SMALL, "--threads", "3", "--from", "1", "--to", "2");
    expect(svg.stdout).toContain(">app ?/100: 4 samples</text>");
    expect(svg.stdout).toContain(">pool ?/9: 2 samples</text>");
    expect(run(SMALL, "--threads", "1", "--format", "top").stdout).toMatch(/^app \?\/100: 8 samples\n/);
  });

  it("refuses what does not go together with status 2, before reading; a missing function names the file", async () => {
    const usage: [string[], RegExp][] = [
      [["--transform", "zz-main"], /--transform: not a transform: "zz-main"/],
      [["--transform", "ff-"], /--transform: .*no function/],
      [["--threads", "0"], /--threads takes a whole number/],
      [["--threads", "two"], /--threads takes a whole number/],
      [["--sandwich", "eval", "--threads", "2"], /two views/],
      [["--sandwich", "eval", "--invert"], /not with --invert/],
      [["--sandwich", "eval", "--vs", "all"], /not a comparison/],
      [["--invert", "--format", "folded"], /folded output is of stacks/],
      [["--threads", "2", "--format", "folded"], /folded output is of stacks/],
    ];
    for (const [args, message] of usage) {
      // A file that does not exist: the options are refused before any input is read.
      const {values, positionals} = parseCommandArgs(flamegraphCommand, [join(dir, "absent.perf"), ...args]);
      const error = await flamegraphCommand.run(values, positionals).then(() => null, (e: unknown) => e);
      expect(error, args.join(" ")).toBeInstanceOf(CliError);
      expect([(error as CliError).status, (error as CliError).message], args.join(" ")).toEqual([2, expect.stringMatching(message)]);
    }
    const missing = run(SMALL, "--sandwich", "nothing");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/small\.perf: no function of the selection is named "nothing"/);
    const many = run(SMALL, "--sandwich", "e");
    expect(many.stderr).toMatch(/contain it: /);
  });

  it("says so in --help", () => {
    const help = spawnSync(process.execPath, [BIN, "flamegraph", "--help"], {encoding: "utf8"}).stdout;
    for (const option of ["--transform TEXT", "--invert", "--sandwich NAME", "--threads N", "left-heavy"]) expect(help).toContain(option);
  });
});
