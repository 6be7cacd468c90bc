// The sampling rate (the header's -F, else estimated from the samples) and heat-map
// rows that match it, on real captures recorded at 49, 99, 999 and 200 Hz.
import {describe, expect, it} from "vitest";
import {heatmap} from "../../src/lib/heatmap.js";
import {readProfile} from "../../src/node/index.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {matchingRows, rateFromCmdline, rowsFit, samplingRate} from "../../src/lib/rate.js";
import {perfText} from "../helpers.js";

const real = (path: string) => readProfile(new URL(`../../${path}`, import.meta.url).pathname);

/** Rows of a heat map that are empty in at least 90 % of its whole seconds. */
function emptyRows(map: ReturnType<typeof heatmap>): number {
  const seconds = map.columns - 1; // the last one is partial
  let rows = 0;
  for (let b = 0; b < map.rows; b++) {
    let empty = 0;
    for (let s = 0; s < seconds; s++) if (map.counts[s * map.rows + b] === 0) empty++;
    if (empty >= 0.9 * seconds) rows++;
  }
  return rows;
}

describe("the sampling rate", () => {
  it("reads -F and --freq of perf record, not the workload's arguments after --", () => {
    expect(rateFromCmdline("/usr/bin/perf record -k CLOCK_MONOTONIC -g -a -F 49 -o x.data -- app -F 7")).toBe(49);
    expect(rateFromCmdline("perf record -F99 -a")).toBe(99);
    expect(rateFromCmdline("perf record --freq=997 -a")).toBe(997);
    expect(rateFromCmdline("perf record --freq 250 -a")).toBe(250);
    expect(rateFromCmdline("perf record -F max -a")).toBeNull();
    expect(rateFromCmdline("perf record -c 5000000 -a -- app -F 49")).toBeNull();
    expect(rateFromCmdline("/opt/app -F 49")).toBeNull();
  });

  it.each([
    ["examples/node-cache-refresh.perf.gz", 49],
    ["examples/jvm-g1-gc.perf.gz", 99],
    ["examples/c-global-lock.perf.gz", 99],
    ["test/fixtures/perf/c-deep.perf", 49],
    ["test/fixtures/perf/java-perfmap.perf", 49],
    ["test/fixtures/perf/node-jit.perf", 49],
    ["test/fixtures/perf/c-nocallchain.perf", 99],
    ["bench/seed.perf.gz", 999],
  ])("%s: the header says %d Hz, and the samples alone say so too", async (path, hz) => {
    const profile = await real(path);
    expect(samplingRate(profile)).toEqual({hz, source: "header"});
    profile.header.cmdline = undefined;
    expect(samplingRate(profile)).toEqual({hz, source: "samples"});
  });

  it("is estimated for a capture with a fixed period (-c 5000000 of cpu-clock: 200 Hz) while other processes ran", async () => {
    const profile = await real("test/fixtures/perf/c-period.perf.gz");
    expect(profile.header.cmdline).toContain("-c 5000000");
    expect(samplingRate(profile)).toEqual({hz: 200, source: "samples"});
  });

  it("is unknown with too few samples", () => {
    expect(samplingRate(parsePerfScript(perfText([{time: "1.0", stack: ["main"]}, {time: "1.1", stack: ["main"]}])))).toBeNull();
  });
});

describe("rows that match the rate", () => {
  it("divide it", () => {
    expect(matchingRows(49)).toEqual([49]);
    expect(matchingRows(99)).toEqual([11, 33, 99]);
    expect(matchingRows(999)).toEqual([27, 37, 111]);
    expect(matchingRows(997)).toEqual([]);
    expect(matchingRows(98.5)).toEqual([]);
  });

  it("say what rows that do not match do, and which to use", () => {
    const rate = {hz: 49, source: "header"} as const;
    expect(rowsFit(rate, 49)).toEqual({matches: true, text: "a busy CPU puts 1 sample in every cell", suggestion: 49});
    expect(rowsFit(rate, 50)).toEqual({matches: false, text: "a busy CPU puts 0 or 1 samples in a cell: 1 row in 50 gets none from it each second", suggestion: 49});
    expect(rowsFit(rate, 100).text).toBe("a busy CPU puts 0 or 1 samples in a cell: 51 rows in 100 get none from it each second");
    expect(rowsFit({hz: 99, source: "header"}, 50).text).toBe("a busy CPU puts 1 or 2 samples in a cell: 1 row in 50 gets 1 instead of 2 from it each second");
    expect(rowsFit({hz: 997, source: "header"}, 50)).toMatchObject({matches: false, suggestion: null});
  });

  it("on the real 49 Hz capture: 50 rows draw a white row through the seconds, 100 rows stripes, 49 rows neither", async () => {
    const profile = await real("examples/node-cache-refresh.perf.gz");
    expect(emptyRows(heatmap(profile, {rows: 50}))).toBe(1);
    expect(emptyRows(heatmap(profile, {rows: 100}))).toBe(50);
    expect(emptyRows(heatmap(profile, {rows: 49}))).toBe(0);
  });
});
