import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lerp, percentiles, selectRanks } from "./percentiles.js";

const f64 = (...xs: number[]) => Float64Array.from(xs);
const DEFAULT = [1, 5, 10, 25, 50, 75, 90, 95, 99];

/** Reference: full sort, then numpy's linear method (virtual index `(n - 1) * (p / 100)`). */
function reference(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * (p / 100);
  const lo = Math.floor(h);
  return lo >= s.length - 1 ? s[s.length - 1]! : lerp(s[lo]!, s[lo + 1]!, h - lo);
}

describe("percentiles (numpy linear)", () => {
  it("matches numpy's documented example: percentile([[10, 7, 4], [3, 2, 1]], 50) = 3.5", () => {
    expect(percentiles(f64(10, 7, 4, 3, 2, 1), [50])).toEqual([3.5]);
  });

  it("matches numpy on 15, 20, 35, 40, 50 (p5 16, p30 23, p40 29, p50 35, p100 50)", () => {
    expect(percentiles(f64(50, 15, 40, 20, 35), [5, 30, 40, 50, 100])).toEqual([16, 23, 29, 35, 50]);
  });

  it("matches numpy on 1..4 at the default percentiles", () => {
    const got = percentiles(f64(4, 3, 2, 1), DEFAULT);
    const numpy = [1.03, 1.15, 1.3, 1.75, 2.5, 3.25, 3.7, 3.85, 3.97];
    got.forEach((v, i) => {
      expect(v).toBeCloseTo(numpy[i]!, 12);
    });
  });

  it("equals numpy 2.4 to the bit where the rank's rounding matters (0..3 at p5 p10 p95 p99)", () => {
    // np.percentile([0, 1, 2, 3], [5, 10, 95, 99]).tolist()
    const numpy = [0.15000000000000002, 0.30000000000000004, 2.8499999999999996, 2.9699999999999998];
    expect(percentiles(f64(3, 2, 1, 0), [5, 10, 95, 99])).toEqual(numpy);
  });

  it("n = 1 gives the value at every percentile; n = 2 interpolates (p1 1.01, p50 1.5, p99 1.99)", () => {
    expect(percentiles(f64(3), [0, 37, 100])).toEqual([3, 3, 3]);
    const two = percentiles(f64(2, 1), [0, 1, 50, 99, 100]);
    expect(two[0]).toBe(1);
    expect(two[1]).toBeCloseTo(1.01, 14);
    expect(two[2]).toBe(1.5);
    expect(two[3]).toBeCloseTo(1.99, 14);
    expect(two[4]).toBe(2);
  });

  it("all-NaN and empty give null; NaN values are left out", () => {
    expect(percentiles(f64(Number.NaN, Number.NaN), [50])).toEqual([null]);
    expect(percentiles(f64(), [1, 99])).toEqual([null, null]);
    expect(percentiles(f64(Number.NaN, 1, 3, Number.NaN), [50])).toEqual([2]);
  });

  it("all-equal values give that value (no rounding drift)", () => {
    expect(percentiles(new Float64Array(1001).fill(0.1), DEFAULT)).toEqual(DEFAULT.map(() => 0.1));
  });

  it("keeps negative zero: the median of [-0] is -0", () => {
    expect(Object.is(percentiles(f64(-0), [50])[0], -0)).toBe(true);
    expect(Object.is(percentiles(f64(-0, -0, -0), [0, 50, 100])[1], -0)).toBe(true);
  });

  it("handles infinities where numpy gives NaN: exact ranks, the infinity beside a finite value, NaN between -inf and inf", () => {
    const inf = Number.POSITIVE_INFINITY;
    expect(percentiles(f64(1, inf), [0, 50, 100])).toEqual([1, inf, inf]);
    expect(percentiles(f64(inf, inf), [50])).toEqual([inf]);
    expect(percentiles(f64(1, 2, inf), [0, 25, 50, 75])).toEqual([1, 1.5, 2, inf]);
    const mixed = percentiles(f64(-inf, inf), [0, 50, 100]);
    expect(mixed[0]).toBe(-inf);
    expect(mixed[1]).toBeNaN();
    expect(mixed[2]).toBe(inf);
  });

  it("does not modify its input", () => {
    const a = f64(3, 1, 2);
    percentiles(a, [50]);
    expect(Array.from(a)).toEqual([3, 1, 2]);
  });

  it("equals a full sort on random samples with duplicates (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (xs, ps) => {
          const values = xs.map((x) => x / 4);
          const got = percentiles(Float64Array.from(values), ps);
          for (const [i, p] of ps.entries()) expect(got[i]).toBe(reference(values, p));
        },
      ),
    );
  });

  it("the bucketed path for large samples equals a full sort (skewed, duplicated, infinite, NaN)", () => {
    const inf = Number.POSITIVE_INFINITY;
    const samples: number[][] = [
      Array.from({ length: 20_000 }, (_, i) => Math.sin(i) * 100),
      Array.from({ length: 10_000 }, (_, i) => (i % 10 === 0 ? 1e9 : i % 3)), // most values in one bucket
      Array.from({ length: 9_000 }, (_, i) => Math.exp((i % 400) / 20) - (i % 7 === 0 ? inf : 0)),
      Array.from({ length: 5_000 }, (_, i) => (i % 2 ? -0 : 0) + (i % 5 === 0 ? Number.NaN : i % 11)),
      Array.from({ length: 5_000 }, (_, i) => (i === 17 ? inf : i === 99 ? -inf : 1e-300 * (i % 13))),
    ];
    const ps = [0, 1, 5, 10, 25, 33.3, 50, 75, 90, 95, 99, 99.9, 100];
    for (const xs of samples) {
      const clean = xs.filter((x) => !Number.isNaN(x));
      const got = percentiles(Float64Array.from(xs), ps);
      ps.forEach((p, i) => {
        expect(got[i]).toBe(reference(clean, p));
      });
    }
  });

  it("selectRanks places the requested ranks as a sort would", () => {
    const rnd = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 1237);
    const a = Float64Array.from(rnd);
    const ranks = [0, 17, 2500, 2501, 4999];
    selectRanks(a, ranks);
    const sorted = [...rnd].sort((x, y) => x - y);
    for (const r of ranks) expect(a[r]).toBe(sorted[r]);
  });
});
