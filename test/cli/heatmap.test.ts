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

  it("heatmap without timestamps explains how to get them", () => {
    const r = runCli(["heatmap", file("notime.perf", "app 1 cpu-clock:\n\t1 main (/x)\n")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/perf script -F \+time/);
  });

  it("writes nothing but its outputs", () => {
    expect(readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
