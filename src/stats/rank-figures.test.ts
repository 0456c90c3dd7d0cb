import { describe, expect, it } from "vitest";
import { RANK_PERCENTILES, rankHistogram, rankPercentile } from "./rank-figures.js";

describe("rankPercentile (the evaluator's (p/100)(n+1) rule)", () => {
  it("gives the evaluator's test figures: 0..9 has p50 4.5 and p100 9", () => {
    const xs = Array.from({ length: 10 }, (_, i) => i);
    expect(rankPercentile(xs, 50)).toBe(4.5);
    expect(rankPercentile(xs, 100)).toBe(9);
    // position 0.1 * 11 - 1 = 0.1: between 0 and 1
    expect(rankPercentile(xs, 10)).toBeCloseTo(0.1, 12);
    // numpy's linear rule gives 0.9 here: the two rules differ
    expect(rankPercentile(xs, 10)).not.toBeCloseTo(0.9, 5);
  });

  it("clamps to the first and last value and is null when empty", () => {
    expect(rankPercentile([1, 2, 3, 4], 10)).toBe(1);
    expect(rankPercentile([1, 2, 3, 4], 90)).toBe(4);
    expect(rankPercentile([7], 50)).toBe(7);
    expect(rankPercentile([], 50)).toBeNull();
    // n = 4, p = 50: position 1.5 -> 2.5
    expect(rankPercentile([1, 2, 3, 4], 50)).toBe(2.5);
  });

  it("has the fixed set p10..p100", () => {
    expect(RANK_PERCENTILES).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });
});

describe("rankHistogram (the evaluator's 10 equal bins)", () => {
  it("has 10 bins by default, half-open but the last, which holds the maximum", () => {
    const bins = rankHistogram(Float64Array.from({ length: 10 }, (_, i) => i));
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(bins[0]).toMatchObject({ lowerBound: 0 });
    expect(bins[9]).toMatchObject({ upperBound: 9 });
    const three = rankHistogram(Float64Array.of(0, 1, 2, 3), 3);
    expect(three.map((b) => b.count)).toEqual([1, 1, 2]);
  });

  it("gives one bin for equal values and none for no value; NaN and infinities are not binned", () => {
    expect(rankHistogram(Float64Array.of(2, 2, 2))).toEqual([{ lowerBound: 2, upperBound: 2, count: 3 }]);
    expect(rankHistogram(Float64Array.of())).toEqual([]);
    expect(rankHistogram(Float64Array.of(Number.NaN))).toEqual([]);
    const h = rankHistogram(Float64Array.of(0, 10, Number.NaN, Number.POSITIVE_INFINITY));
    expect(h.reduce((n, b) => n + b.count, 0)).toBe(2);
  });

  it("puts values on inner bounds in the bin that bound opens, as the evaluator's [lower, upper)", () => {
    const xs = Float64Array.from({ length: 1001 }, (_, i) => (i * 0.37) % 13);
    const bins = rankHistogram(xs);
    for (const [i, b] of bins.entries()) {
      const last = i === bins.length - 1;
      const expected = Array.from(xs).filter(
        (v) => v >= b.lowerBound && (last ? v <= b.upperBound : v < b.upperBound),
      ).length;
      expect(b.count).toBe(expected);
    }
  });
});
