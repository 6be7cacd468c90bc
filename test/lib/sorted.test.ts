import {describe, expect, it} from "vitest";
import {lowerBound, upperBound} from "../../src/lib/sorted.js";

describe("binary searches", () => {
  const times = Float64Array.of(1, 2, 2, 2, 5, 8);

  it("find the first value at or above x (lowerBound) and above x (upperBound)", () => {
    expect([0, 1, 2, 3, 5, 8, 9].map((x) => lowerBound(times, x))).toEqual([0, 0, 1, 4, 4, 5, 6]);
    expect([0, 1, 2, 3, 5, 8, 9].map((x) => upperBound(times, x))).toEqual([0, 1, 4, 4, 5, 6, 6]);
  });

  it("search within [lo, hi) only", () => {
    expect(lowerBound(times, 9, 0, 3)).toBe(3);
    expect(lowerBound(times, 0, 2)).toBe(2);
    expect(upperBound(times, 2, 0, 2)).toBe(2);
    expect(lowerBound([], 1)).toBe(0);
  });

  it("agree with a linear scan on random sorted arrays", () => {
    for (let n = 0; n < 40; n++) {
      const values = Array.from({length: n}, (_, i) => Math.floor((i * 7919) % 13)).sort((a, b) => a - b);
      for (let x = -1; x <= 14; x++) {
        expect(lowerBound(values, x)).toBe(values.findIndex((v) => v >= x) === -1 ? n : values.findIndex((v) => v >= x));
        expect(upperBound(values, x)).toBe(values.findIndex((v) => v > x) === -1 ? n : values.findIndex((v) => v > x));
      }
    }
  });
});
