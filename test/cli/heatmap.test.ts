// `subsecond heatmap`: JSON, CSV and SVG.
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {FOUR_SAMPLES, runCli, tempFolder} from "./run.js";

const {dir: tmp, file} = tempFolder("cli-heatmap");

describe("subsecond heatmap", () => {
  it("heatmap: json, csv and svg", () => {
    const path = file("h.perf", FOUR_SAMPLES);
    const json = JSON.parse(runCli(["heatmap", "--format", "json", "--rows", "10", path]).stdout);
    expect(json).toMatchObject({origin: 10, rows: 10, columns: 3, maxCount: 1, samples: 3});
    expect(json.values[0]).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(runCli(["heatmap", "--format", "csv", path]).stdout).toBe("second,bucket,offset_ms,count,weight\n0,5,100,1,1\n0,15,300,1,1\n1,15,300,1,1\n");
    const out = join(tmp, "h.svg");
    expect(runCli(["heatmap", path, "-o", out]).status).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it("heatmap --period folds time; flamegraph --cells --period selects those offsets in every period", () => {
    const path = file("fold.perf", FOUR_SAMPLES); // counted samples at 0.1, 0.3 and 1.3 s
    expect(runCli(["heatmap", "--format", "csv", "--rows", "5", "--period", "500ms", path]).stdout)
      .toBe("column,start_s,bucket,offset_ms,count,weight\n0,0,1,100,1,1\n0,0,3,300,1,1\n2,1,3,300,1,1\n");
    const json = JSON.parse(runCli(["heatmap", "--format", "json", "--rows", "5", "--period", "0.5s", path]).stdout);
    expect(json).toMatchObject({rows: 5, period: "500ms", columns: 6, samples: 3});
    expect(json.values[2]).toEqual([0, 0, 0, 1, 0]);
    const folded = (args: string[]) => runCli(["flamegraph", "--format", "folded", ...args, path]).stdout.trim().split("\n")
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
    expect(folded(["--cells", "0:5,3:3", "--rows", "5", "--period", "500ms"])).toBe(2);
    expect(folded(["--select", "c0_5x3_3r5p500ms"])).toBe(2);
    expect(folded(["--select", "c0_1x1_1r5p500ms"])).toBe(1);
    const bad = runCli(["heatmap", "--period", "5ms", path]);
    expect([bad.status, bad.stderr.trim()]).toEqual([2, 'subsecond heatmap: --period: a period is from 10ms to 1h, not "5ms"']);
  });

  it("heatmap without timestamps explains how to get them", () => {
    const r = runCli(["heatmap", file("notime.perf", "app 1 cpu-clock:\n\t1 main (/x)\n")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/perf script -F \+time/);
  });

  it("writes nothing but its outputs", () => {
    expect(readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
