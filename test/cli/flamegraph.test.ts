// `subsecond flamegraph`: selections, differential and elided views, the bounds of
// what a selection or a frame pattern may ask, and the call-tree views (--transform,
// --invert, --sandwich, --threads).
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {CliError, parseCommandArgs} from "../../src/cli/common.js";
import {flamegraphCommand} from "../../src/cli/flamegraph.js";
import {perfText, sample, SMALL_TREE_SAMPLES} from "../helpers.js";
import {FOUR_SAMPLES, runCli, tempFolder} from "./run.js";

const {dir: tmp, file} = tempFolder("cli-flamegraph");

describe("subsecond flamegraph", () => {
  it("flamegraph of ranges, cells, text selections and annotations", () => {
    const path = file("f.perf", FOUR_SAMPLES);
    writeFileSync(join(tmp, "f.annotations.json"), JSON.stringify({annotations: [{label: "second one", from: 1, to: 2}]}));
    const folded = (args: string[]) => runCli(["flamegraph", "--format", "folded", ...args, path]).stdout;
    expect(folded(["--from", "0", "--to", "1"])).toBe("app;main;eval 1\napp;main;parse 1\n");
    expect(folded(["--cells", "0:1,15:15"])).toBe("app;main;eval 1\nweb_server;main;eval 1\n");
    expect(folded(["--select", "t1_2"])).toBe("web_server;main;eval 1\n");
    expect(folded(["--annotation", "second one"])).toBe("web_server;main;eval 1\n");
    expect(folded(["--event", "page-faults"])).toBe("app;main;gc 1\n");
    const missing = runCli(["flamegraph", "--annotation", "GC", path]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no annotation "GC" \(annotations: "second one"\)/);
    const json = JSON.parse(runCli(["flamegraph", "--format", "json", "--from", "0", "--to", "1", path]).stdout);
    expect(json.samples).toBe(2);
    expect(json.root.children[0].name).toBe("app");
  });

  it("flamegraph differential and elided views", () => {
    const path = file("d.perf", FOUR_SAMPLES);
    const diff = JSON.parse(runCli(["flamegraph", "--format", "json", "--from", "0", "--to", "1", "--vs", "1-2", path]).stdout);
    const main = diff.root.children.find((c: {name: string}) => c.name === "app").children[0];
    expect(main.delta.total).toBe(2);
    const svg = runCli(["flamegraph", "--from", "0", "--to", "1", "--vs", "t1_2", path]);
    expect(svg.stdout).toContain("red grew, blue shrank");
    const elided = JSON.parse(runCli(["flamegraph", "--format", "json", "--from", "0", "--to", "1", "--vs", "all", "--elided", path]).stdout);
    expect(elided.root.children.map((c: {name: string}) => c.name)).toEqual(["web server"]);
    expect(runCli(["flamegraph", "--elided", path]).status).toBe(2);
  });

  it("refuses times a selection cannot hold, and finishes on a catastrophic regular expression", () => {
    const path = file("range.perf", FOUR_SAMPLES);
    const far = runCli(["flamegraph", "--from", "1e300", path]);
    expect(far.status).toBe(2);
    expect(far.stderr).toMatch(/--from: 1e\+300 s is out of range/);
    expect(runCli(["flamegraph", "--vs", `0-1${"0".repeat(300)}`, path]).stderr).toMatch(/--vs: .* out of range/);
    expect(runCli(["flamegraph", "--format", "folded", "--cells", "0:9000000,15:15", path]).stdout).toBe("app;main;eval 1\nweb_server;main;eval 1\n");
    const evil = file("evil.perf", perfText([{time: "1.1", stack: ["main", `${"a".repeat(40)}b`]}, {time: "1.2", stack: ["main", "aaaa"]}]));
    expect(runCli(["flamegraph", "--format", "folded", "--include", "(a+)+$", evil]).stdout).toBe("app;main;aaaa 1\n");
    const bad = runCli(["heatmap", "--include", "(?<=a)b", evil]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--include: invalid frame regular expression/);
  });
});

const SMALL = file("small.perf", perfText([...SMALL_TREE_SAMPLES, sample("2.50", ["run", "step~1"], {comm: "pool", tid: 9}), sample("2.60", ["run"], {comm: "pool", tid: 9})]));
const run = (...args: string[]) => runCli(["flamegraph", ...args]);

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
      const {values, positionals} = parseCommandArgs(flamegraphCommand, [join(tmp, "absent.perf"), ...args]);
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
    const help = runCli(["flamegraph", "--help"]).stdout;
    for (const option of ["--transform TEXT", "--invert", "--sandwich NAME", "--threads N", "left-heavy"]) expect(help).toContain(option);
  });
});
