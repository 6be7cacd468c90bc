// Wall-clock time beside seconds since the origin: cell descriptions (tooltips), a
// selection's span, a heat map's summary and a profile's first and last samples, from
// the header's reference time, to the millisecond.
import {describe, expect, it} from "vitest";
import {formatWallClock, formatWallClockRange} from "../../src/lib/format.js";
import {heatmap} from "../../src/lib/heatmap.js";
import {readProfile} from "../../src/node/index.js";
import {wallClockMs} from "../../src/lib/profile.js";
import {cellText, heatmapSummary} from "../../src/lib/render/heatmap.js";
import {cellBlock, describeSelectionWallClock, selectionBounds, timeRange} from "../../src/lib/selection.js";
import {summarize} from "../../src/lib/summary.js";
import {profile as noReference} from "./render-fixture.js";

// The capture's header: "reference time: 2026-11-21 11:57:05.312792 = 1795262225.312792 (TOD) = 4654.003968653 (monotonic)";
// its origin is perf time 4654 s, 0.003968653 s before the reference: 11:57:05.308823 UTC.
const capture = await readProfile(new URL("../../examples/node-cache-refresh.perf.gz", import.meta.url).pathname);
const origin = wallClockMs(capture, 0)!;

describe("wall-clock time", () => {
  it("is formatted to the millisecond, with the date once", () => {
    expect(formatWallClock(origin, {ms: true})).toBe("2026-11-21 11:57:05.308 UTC");
    expect(formatWallClock(origin, {ms: true, date: false})).toBe("11:57:05.308 UTC");
    expect(formatWallClockRange(origin, origin + 1500)).toBe("2026-11-21 11:57:05.308–11:57:06.808 UTC");
    expect(formatWallClockRange(origin, origin + 86_400_000, {ms: false})).toBe("2026-11-21 11:57:05 – 2026-11-22 11:57:05 UTC");
    expect(formatWallClockRange(origin, origin + 20, {date: false})).toBe("11:57:05.308–11:57:05.328 UTC");
  });

  it("follows a cell's description when the header has a reference time", () => {
    expect(cellText(12, 10, 50, 2, origin)).toBe("second 12, 200–220 ms: 2 samples\n11:57:17.508–11:57:17.528 UTC");
    expect(cellText(12, 10, 50, 2)).toBe("second 12, 200–220 ms: 2 samples");
    // A heat map carries its origin's wall-clock time: the drawn cells' titles have it.
    expect(heatmap(capture).wallClock).toBe(origin);
    expect(heatmap(noReference).wallClock).toBeNull();
  });

  it("spans a selection: a range, a cell block, a union", () => {
    expect(describeSelectionWallClock([timeRange(26, 26.5)], origin)).toBe("11:57:31.308–11:57:31.808 UTC");
    expect(describeSelectionWallClock([cellBlock(0, 44, 30, 32, 50)], origin)).toBe("11:57:05.908–11:57:49.968 UTC");
    expect(selectionBounds([timeRange(5, 6), timeRange(1, 2)])).toEqual({from: 1e9, to: 6e9});
    expect(describeSelectionWallClock([timeRange(26, 26.5)], origin, {date: true})).toBe("2026-11-21 11:57:31.308–11:57:31.808 UTC");
    expect(describeSelectionWallClock(null, origin)).toBeNull();
    expect(describeSelectionWallClock([timeRange(1, 2)], null)).toBeNull();
  });

  it("gives a profile's first and last samples, and a heat map's span in its summary", () => {
    const s = summarize(capture);
    expect(s.firstSampleWallClock).toBe("2026-11-21T11:57:05.378Z");
    expect(s.lastSampleWallClock).toBe("2026-11-21T11:57:50.888Z");
    expect(summarize(noReference).firstSampleWallClock).toBeNull();
    expect(heatmapSummary(heatmap(capture))).toBe("46 seconds × 50 rows of 20 ms; 2026-11-21 11:57:05–11:57:51 UTC; 1,959 samples counted; busiest cell: second 0, 180–200 ms: 2 samples; busiest second: 26 (58 samples); 6 annotations");
  });
});
