// `subsecond info`.
import {describe, expect, it} from "vitest";
import {FOUR_SAMPLES, runCli, tempFolder} from "./run.js";

const {file} = tempFolder("cli-info");

describe("subsecond info", () => {
  it("info prints origin, span, CPUs, processes and diagnostics", () => {
    const r = runCli(["info", file("info.perf", FOUR_SAMPLES + "\nTHIS IS NOT PERF\n")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/samples\s+4 \(idle 0 = 0\.0%\)/);
    expect(r.stdout).toMatch(/events\s+cpu-clock: 3 samples/);
    expect(r.stdout).toMatch(/origin\s+10 s perf time/);
    expect(r.stdout).toMatch(/first sample\s+10\.100000/);
    expect(r.stdout).toMatch(/duration\s+2\.150000 s; 3 heat-map columns/);
    expect(r.stdout).toMatch(/web server/);
    expect(r.stdout).toMatch(/warning: 1 × lines that are neither .* \(.*info\.perf: line 17\); e\.g\. "THIS IS NOT PERF"/);
  });
});
