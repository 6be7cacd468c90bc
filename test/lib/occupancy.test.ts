import {describe, expect, it} from "vitest";
import {occupancy} from "../../src/lib/occupancy.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {timeRange} from "../../src/lib/selection.js";
import {perfText, type TestSample} from "../helpers.js";

// Samples 10 ms apart (origin: the first sample, at perf time 100), the frame `gc` on
// CPU in two runs on two threads, `work` otherwise.
const at = (ms: number, stack: string[], extra: Partial<TestSample> = {}): TestSample => ({time: (100 + ms / 1000).toFixed(6), stack, ...extra});
const profile = parsePerfScript(
  perfText([
    at(0, ["main", "work"]),
    at(10, ["main", "gc", "mark"]),
    at(20, ["main", "gc"]),
    at(40, ["main", "gc"], {tid: 101}), // 20 ms after the last: same run at a 25 ms gap
    at(50, ["main", "work"]),
    at(200, ["main", "gc"]),
    at(210, ["main", "gc"], {comm: "other", tid: 300}),
  ]),
  {source: "gc.perf"},
);

describe("occupancy", () => {
  it("finds runs of a frame's samples within the gap, each starting one lead before its first sample", () => {
    const runs = occupancy(profile, /^gc$/, {gapMs: 25, leadMs: 10});
    expect(runs).toEqual([
      {from: expect.closeTo(0.0, 9), to: expect.closeTo(0.04, 9), samples: 3},
      {from: expect.closeTo(0.19, 9), to: expect.closeTo(0.21, 9), samples: 2},
    ]);
  });

  it("splits runs at a smaller gap, and takes the filter and a selection", () => {
    expect(occupancy(profile, "gc", {gapMs: 15, leadMs: 0}).map((r) => r.samples)).toEqual([2, 1, 2]);
    expect(occupancy(profile, "gc", {gapMs: 25, leadMs: 0, filter: {comm: "app"}}).map((r) => r.samples)).toEqual([3, 1]);
    expect(occupancy(profile, "gc", {gapMs: 25, leadMs: 0, selection: [timeRange(0.1, 1)]})).toEqual([{from: 0.2, to: expect.closeTo(0.21, 9), samples: 2}]);
    expect(occupancy(profile, /nothing/)).toEqual([]);
  });

  it("refuses bad options and unknown comms instead of finding nothing", () => {
    expect(() => occupancy(profile, "gc", {gapMs: -1})).toThrow(/gapMs must be a number of ms ≥ 0, not -1/);
    expect(() => occupancy(profile, "gc", {leadMs: NaN})).toThrow(/leadMs must be/);
    expect(() => occupancy(profile, "gc", {filter: {comm: "ohter"}})).toThrow(/no comm "ohter" in the profile \(comms: "app", "other"\)/);
    expect(() => occupancy(profile, "(")).toThrow(/invalid frame regular expression/);
  });
});
