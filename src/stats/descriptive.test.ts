import { expect, describe as group, it } from "vitest";
import { describeValues, moments } from "./descriptive.js";
import { histogram } from "./histogram.js";
import { percentiles } from "./percentiles.js";

const f64 = (...xs: number[]) => Float64Array.from(xs);

group("moments", () => {
  it("matches the textbook example 2,4,4,4,5,5,7,9: mean 5, population variance 4, sd 2", () => {
    const m = moments(f64(2, 4, 4, 4, 5, 5, 7, 9));
    expect(m).toEqual({ count: 8, nanCount: 0, sum: 40, mean: 5, min: 2, max: 9, variance: 4, stdDev: 2 });
    // the sample figures (ddof 1, pandas' default): 32 / 7
    expect(moments(f64(2, 4, 4, 4, 5, 5, 7, 9), true, 1).variance).toBeCloseTo(32 / 7, 14);
  });

  it("is numerically stable: 1e9 + (4, 7, 13, 16) has variance 22.5 exactly (Welford's example)", () => {
    const m = moments(f64(1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16));
    expect(m.mean).toBe(1e9 + 10);
    expect(m.variance).toBe(22.5);
    // A naive sum of squares minus square of sum loses every digit here.
    const naive =
      (4 * ((1e9 + 4) ** 2 + (1e9 + 7) ** 2 + (1e9 + 13) ** 2 + (1e9 + 16) ** 2) - (4e9 + 40) ** 2) / 16;
    expect(naive).not.toBe(22.5);
  });

  it("compensates the sum: 0.1 ten times is 1 and 1e100, 1, -1e100 is 1", () => {
    expect(moments(new Float64Array(10).fill(0.1)).sum).toBe(1);
    expect(moments(f64(1e100, 1, -1e100)).sum).toBe(1);
  });

  it("counts values excluding NaN (count), NaN apart (nanCount), and leaves NaN out of the rest", () => {
    const m = moments(f64(Number.NaN, 1, Number.NaN, 3));
    expect(m).toMatchObject({ count: 2, nanCount: 2, sum: 4, mean: 2, min: 1, max: 3, variance: 1 });
    // the NVIDIA evaluator's test: [0, NaN, 2, 5, NaN, 15] has count 4, nan_count 2, mean 5.5
    expect(moments(f64(0, Number.NaN, 2, 5, Number.NaN, 15))).toMatchObject({
      count: 4,
      nanCount: 2,
      sum: 22,
      mean: 5.5,
    });
  });

  it("gives null figures for all-NaN and empty samples", () => {
    for (const a of [f64(Number.NaN, Number.NaN), f64()]) {
      const m = moments(a);
      expect(m.count).toBe(0);
      expect(m.nanCount).toBe(a.length);
      expect([m.sum, m.mean, m.min, m.max, m.variance, m.stdDev]).toEqual([
        null,
        null,
        null,
        null,
        null,
        null,
      ]);
    }
  });

  it("gives variance exactly 0 for all-equal values and for one value", () => {
    expect(moments(new Float64Array(1000).fill(0.1)).variance).toBe(0);
    expect(moments(f64(7)).stdDev).toBe(0);
    for (const v of [0.1, 0.7, 1 / 3, 123.456]) {
      expect(moments(new Float64Array(4).fill(v), true, 1).stdDev).toBe(0);
      expect(moments(new Float64Array(3).fill(v)).stdDev).toBe(0);
    }
    // one value has no sample variance
    expect(moments(f64(7), true, 1).stdDev).toBeNull();
  });

  it("keeps infinities: sum and mean infinite, variance NaN; both signs give NaN", () => {
    const m = moments(f64(1, Number.POSITIVE_INFINITY));
    expect(m).toMatchObject({
      sum: Number.POSITIVE_INFINITY,
      mean: Number.POSITIVE_INFINITY,
      max: Number.POSITIVE_INFINITY,
    });
    expect(m.variance).toBeNaN();
    expect(moments(f64(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).sum).toBeNaN();
  });

  it("orders negative zero below zero for min and max; the sum of -0 values is 0 as numpy's", () => {
    expect(Object.is(moments(f64(0, -0)).min, -0)).toBe(true);
    expect(Object.is(moments(f64(-0, 0)).max, 0)).toBe(true);
    expect(Object.is(moments(f64(-0, -0)).sum, 0)).toBe(true);
  });
});

group("describeValues", () => {
  it("computes only the requested figures", () => {
    const d = describeValues(f64(1, 2, 3, 4), {
      percentiles: [50],
      bins: 2,
      fields: new Set(["mean", "percentiles"]),
    });
    expect(d).toEqual({ mean: 2.5, percentiles: { p50: 2.5 } });
  });

  it("gives the same percentiles and histogram with the extent it passes on (large sample)", () => {
    const xs = Float64Array.from({ length: 50_001 }, (_, i) =>
      i % 100 === 0 ? Number.NaN : Math.cos(i) ** 3,
    );
    const ps = [0, 1, 50, 99.9, 100];
    const d = describeValues(xs, { percentiles: ps, bins: 7 });
    expect(Object.values(d.percentiles!)).toEqual(percentiles(xs, ps));
    expect(d.histogram).toEqual(histogram(xs, 7));
  });

  it("returns every figure with percentile keys p<p> and the histogram", () => {
    const d = describeValues(f64(1, 2, 3, 4), { percentiles: [25, 99.5], bins: 2 });
    expect(d.percentiles).toEqual({ p25: 1.75, "p99.5": 3.985 });
    expect(d.histogram).toEqual({ edges: [1, 2.5, 4], counts: [2, 2] });
    expect(d.stdDev).toBeCloseTo(Math.sqrt(1.25), 15);
  });
});
