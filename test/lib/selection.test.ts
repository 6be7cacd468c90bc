import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {heatmap} from "../../src/lib/heatmap.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {
  cellBlock, describeSelection, formatSelection, parseSelection, rangeFromCells, timeRange, type Selection,
} from "../../src/lib/selection.js";
import {bucketOf, formatPeriod, NS, parsePeriod, secondOf} from "../../src/lib/time.js";
import {sampleRanges} from "../../src/lib/view.js";
import {perfText} from "../helpers.js";

/** A profile with one sample every `step` ms over `seconds` seconds. */
function grid(seconds: number, stepMs: number) {
  const samples = [];
  for (let t = 0; t < seconds * 1000; t += stepMs) {
    const s = Math.floor(t / 1000), ms = t % 1000;
    samples.push({time: `${100 + s}.${String(ms * 1000).padStart(6, "0")}`, stack: ["main"]});
  }
  return parsePerfScript(perfText(samples));
}

function selected(p: ReturnType<typeof grid>, sel: Selection): number[] {
  const r = sampleRanges(p, sel);
  const out: number[] = [];
  for (let k = 0; k < r.length; k += 2) for (let i = r[k]; i < r[k + 1]; i++) out.push(i);
  return out;
}

describe("selections", () => {
  const p = grid(4, 10);

  it("a time range is [from, to)", () => {
    const idx = selected(p, [timeRange(1, 1.5)]);
    expect(idx.length).toBe(50);
    expect(p.samples.time[idx[0]]).toBe(1e9);
    expect(p.samples.time[idx.at(-1)!]).toBe(1.49e9);
  });

  it("two cells select from the start cell's lower edge to the end cell's upper edge; reversed cells swap; one cell twice is that cell", () => {
    const a = rangeFromCells({second: 1, bucket: 40}, {second: 2, bucket: 5}, 50);
    expect(a).toEqual({kind: "range", from: 1.8e9, to: 2.12e9});
    expect(rangeFromCells({second: 2, bucket: 5}, {second: 1, bucket: 40}, 50)).toEqual(a);
    expect(rangeFromCells({second: 3, bucket: 7}, {second: 3, bucket: 7}, 50)).toEqual({kind: "range", from: 3.14e9, to: 3.16e9});
  });

  it("a cell block holds only those offsets within those seconds", () => {
    const idx = selected(p, [cellBlock(1, 2, 10, 12, 50)]); // 200–260 ms of seconds 1 and 2
    expect(idx.length).toBe(2 * 6);
    for (const i of idx) {
      const t = p.samples.time[i];
      expect([1, 2]).toContain(secondOf(t));
      expect(bucketOf(t - secondOf(t) * 1e9, 50)).toBeGreaterThanOrEqual(10);
      expect(bucketOf(t - secondOf(t) * 1e9, 50)).toBeLessThanOrEqual(12);
    }
  });

  it("a union merges overlapping parts without counting a sample twice", () => {
    const idx = selected(p, [timeRange(1, 2), cellBlock(1, 3, 0, 4, 50), timeRange(1.5, 1.6)]);
    expect(new Set(idx).size).toBe(idx.length);
    expect(idx.length).toBe(100 + 2 * 10);
  });

  it("null is the whole profile; an empty union is nothing", () => {
    expect(selected(p, null).length).toBe(p.samples.length);
    expect(selected(p, []).length).toBe(0);
  });

  it("the samples of cells selected as a range are exactly the samples counted in those cells (property)", () => {
    const q = grid(3, 7);
    fc.assert(
      fc.property(fc.constantFrom(10, 25, 49, 50, 99, 100), fc.nat(2), fc.nat(99), fc.nat(2), fc.nat(99), (rows, s0, b0, s1, b1) => {
        const start = {second: s0, bucket: b0 % rows}, end = {second: s1, bucket: b1 % rows};
        const range = rangeFromCells(start, end, rows);
        const map = heatmap(q, {rows, idle: "keep"});
        // Cells from start to end in time order, as FlameScope highlights them.
        const [a, b] = s0 * rows + (b0 % rows) <= s1 * rows + (b1 % rows) ? [start, end] : [end, start];
        let expected = 0;
        for (let c = a.second * rows + a.bucket; c <= b.second * rows + b.bucket; c++) expected += map.counts[c];
        expect(selected(q, [range]).length).toBe(expected);
      }),
      {numRuns: 300},
    );
  });

  it("the samples of a cell block are exactly the block's cell counts (property)", () => {
    const q = grid(3, 3);
    fc.assert(
      fc.property(fc.constantFrom(10, 49, 50, 100), fc.nat(2), fc.nat(2), fc.nat(99), fc.nat(99), (rows, s0, s1, b0, b1) => {
        const block = cellBlock(s0, s1, b0 % rows, b1 % rows, rows);
        const map = heatmap(q, {rows, idle: "keep"});
        let expected = 0;
        for (let s = block.s0; s <= block.s1; s++) for (let b = block.b0; b <= block.b1; b++) expected += map.counts[s * rows + b];
        expect(selected(q, [block]).length).toBe(expected);
      }),
      {numRuns: 300},
    );
  });

  it("text forms are short, URL-safe and round-trip", () => {
    const sel: Selection = [timeRange(12.5, 14.000000001), cellBlock(3, 40, 10, 12, 50)];
    const text = formatSelection(sel);
    expect(text).toBe("t12.5_14.000000001~c3_40x10_12r50");
    expect(encodeURIComponent(text)).toBe(text);
    expect(parseSelection(text)).toEqual(sel);
    expect(parseSelection("all")).toBeNull();
    expect(formatSelection(null)).toBe("all");
    expect(() => parseSelection("x1")).toThrow(/not a selection/);
    expect(() => parseSelection("c1_2x3_60r50")).toThrow(/outside/);
  });

  it("text forms round-trip for any selection (property)", () => {
    const part = fc.oneof(
      fc.tuple(fc.nat(1e6), fc.nat(1e6)).map(([a, b]) => ({kind: "range" as const, from: Math.min(a, b) * 1000, to: Math.max(a, b) * 1000})),
      fc.tuple(fc.integer({min: 1, max: 1000}), fc.nat(500), fc.nat(500), fc.nat(999), fc.nat(999)).map(([rows, s0, s1, b0, b1]) => cellBlock(s0, s1, b0 % rows, b1 % rows, rows)),
    );
    fc.assert(fc.property(fc.array(part, {minLength: 1, maxLength: 4}), (sel) => {
      expect(parseSelection(formatSelection(sel))).toEqual(sel);
    }));
  });

  it("walks a cell block only over the profile's seconds, however far past them it reaches", () => {
    // Seconds 0–9,000,000 at 50 rows: a walk over every second would push 18 M pairs.
    const far = selected(p, [cellBlock(0, 9_000_000, 10, 12, 50)]);
    expect(far).toEqual(selected(p, [cellBlock(0, 3, 10, 12, 50)]));
    expect(far.length).toBe(4 * 6);
    expect(selected(p, [cellBlock(5_000_000, 9_000_000, 0, 49, 50)])).toEqual([]);
  });

  it("refuses times and seconds a selection cannot hold exactly, and too many parts", () => {
    expect(() => timeRange(1e300, 2)).toThrow(/out of range: times are seconds since the origin, within ±9007199/);
    expect(() => timeRange(0, Infinity)).toThrow(/out of range/);
    expect(() => timeRange(NaN, 1)).toThrow(/out of range/);
    expect(() => cellBlock(0, 999999999999, 0, 0, 50)).toThrow(/second 999999999999 is out of range/);
    expect(() => parseSelection("c0_999999999999x0_0r50")).toThrow(/out of range/);
    expect(() => parseSelection(`t0_1${"0".repeat(300)}`)).toThrow(/out of range/);
    expect(() => parseSelection(Array(300).fill("t0_1").join("~"))).toThrow(/at most 256 parts/);
    expect(describeSelection([timeRange(-9007199, 9007199)])).toBe("-9007199–9007199 s");
  });

  it("describes selections for people", () => {
    expect(describeSelection([timeRange(12.5, 14)])).toBe("12.5–14 s");
    expect(describeSelection([cellBlock(3, 40, 10, 12, 50)])).toBe("seconds 3–40 × 200–260 ms");
    expect(describeSelection(null)).toBe("whole profile");
  });

  it("folded heat maps: a column per period, rows the offset within it, every sample counted once", () => {
    const q = grid(3, 7); // 429 samples over 3 s
    const map = heatmap(q, {rows: 10, period: "500ms", idle: "keep"});
    expect([map.columns, map.period, map.samples]).toEqual([6, 500_000_000, 429]);
    // Column 0 is 0–500 ms; its bucket 0 (0–50 ms) holds t = 0, 7, …, 49 ms: 8 samples.
    expect(map.counts[0]).toBe(8);
    expect(Array.from(map.counts).reduce((a, b) => a + b, 0)).toBe(429);
    // One second as a period is today's map, cell for cell.
    expect(Array.from(heatmap(q, {rows: 49, period: 1, idle: "keep"}).counts)).toEqual(Array.from(heatmap(q, {rows: 49, idle: "keep"}).counts));
    // A 3 s fold of a 3 s profile is one column.
    expect(heatmap(q, {rows: 3, period: "3s", idle: "keep"}).counts).toEqual(Uint32Array.of(143, 143, 143));
    expect(() => heatmap(q, {period: "5ms"})).toThrow(/a period is from 10ms to 1h, not "5ms"/);
    expect(() => heatmap(q, {period: "2 weeks"})).toThrow(/not a period: "2 weeks"/);
  });

  it("the samples of a folded cell block are exactly the block's cell counts (property)", () => {
    const q = grid(3, 3);
    fc.assert(
      fc.property(fc.constantFrom(7, 10, 49, 50), fc.constantFrom("10ms", "70ms", "300ms", "700ms", "1.5s", "3s"), fc.nat(400), fc.nat(400), fc.nat(99), fc.nat(99), (rows, periodText, s0, s1, b0, b1) => {
        const map = heatmap(q, {rows, period: periodText, idle: "keep"});
        const block = cellBlock(s0 % map.columns, s1 % map.columns, b0 % rows, b1 % rows, rows, parsePeriod(periodText));
        let expected = 0;
        for (let s = block.s0; s <= block.s1; s++) for (let b = block.b0; b <= block.b1; b++) expected += map.counts[s * rows + b];
        expect(selected(q, [block]).length).toBe(expected);
        expect(parseSelection(formatSelection([block]))).toEqual([block]);
      }),
      {numRuns: 300},
    );
  });

  it("periods parse exactly and print back; folded cell blocks have a text form", () => {
    expect(["15m", "500ms", "2.5s", "1h", "10ms", "0.1s", "2", "90s", "12.5ms", "1.000000001s"].map(parsePeriod))
      .toEqual([900e9, 5e8, 2.5e9, 3600e9, 1e7, 1e8, 2e9, 90e9, 12_500_000, 1_000_000_001]);
    expect([900e9, 5e8, 2.5e9, 3600e9, 1e7, 90e9, 12_500_000, 1_000_000_001, 60e9].map(formatPeriod))
      .toEqual(["15m", "500ms", "2.5s", "1h", "10ms", "90s", "12.5ms", "1.000000001s", "1m"]);
    expect(() => parsePeriod("2h")).toThrow(/from 10ms to 1h, not "2h"/);
    expect(() => parsePeriod("0.0000001ms")).toThrow(/not a whole number of nanoseconds/);
    const block = cellBlock(0, 7, 3, 3, 60, 900 * NS);
    expect(formatSelection([block, cellBlock(3, 40, 10, 12, 50)])).toBe("c0_7x3_3r60p15m~c3_40x10_12r50");
    expect(parseSelection("c0_7x3_3r60p15m")).toEqual([block]);
    expect(parseSelection("c0_7x3_3r60p1s")).toEqual([cellBlock(0, 7, 3, 3, 60)]);
    expect(describeSelection([block])).toBe("periods 0–7 of 15m × 0.75–1 min");
    expect(() => parseSelection("c0_7x3_3r60p3h")).toThrow(/from 10ms to 1h/);
  });
});
