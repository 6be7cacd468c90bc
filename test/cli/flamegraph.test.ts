// `subsecond flamegraph`: selections, differential and elided views, and the bounds of
// what a selection or a frame pattern may ask.
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {perfText} from "../helpers.js";
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
