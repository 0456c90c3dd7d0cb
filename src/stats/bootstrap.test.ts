import { describe, expect, it } from "vitest";
import { bootstrapMeanCi } from "./bootstrap.js";
import { createRng } from "./prng.js";

describe("bootstrapMeanCi", () => {
  const rnd = createRng(1);
  const xs = Array.from({ length: 400 }, () => rnd() - 0.4);

  it("is deterministic for a seed and changes with the seed", () => {
    const a = bootstrapMeanCi(xs, { seed: 11 });
    expect(bootstrapMeanCi(xs, { seed: 11 })).toEqual(a);
    expect(bootstrapMeanCi(xs, { seed: 12 })).not.toEqual(a);
    expect(a.method).toBe("bootstrap-percentile");
  });

  it("brackets the mean and agrees with the t interval (uniform data, n = 400)", () => {
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    const b = bootstrapMeanCi(xs, { seed: 5 });
    const t = bootstrapMeanCi(xs, { bootstrapMax: 0 });
    expect(t.method).toBe("t");
    expect(b.low!).toBeLessThan(mean);
    expect(b.high!).toBeGreaterThan(mean);
    expect(Math.abs(b.low! - t.low!)).toBeLessThan(0.006);
    expect(Math.abs(b.high! - t.high!)).toBeLessThan(0.006);
  });

  it("t interval of the sleep differences matches R's paired t.test: [0.7001142, 2.4598858]", () => {
    const d = [1.2, 2.4, 1.3, 1.3, 0, 1.0, 1.8, 0.8, 4.6, 1.4];
    const t = bootstrapMeanCi(d, { bootstrapMax: 0 });
    expect(t.low).toBeCloseTo(0.7001142, 6);
    expect(t.high).toBeCloseTo(2.4598858, 6);
  });

  it("all-equal data gives a point interval; no data gives nulls; NaN left out", () => {
    expect(bootstrapMeanCi([0.5, 0.5, 0.5])).toMatchObject({ low: 0.5, high: 0.5 });
    expect(bootstrapMeanCi([NaN, 2])).toMatchObject({ low: 2, high: 2 });
    expect(bootstrapMeanCi([])).toMatchObject({ low: null, high: null, level: 0.95 });
  });

  it("draws exactly what createRng draws (reference resampling written out)", () => {
    const ys = xs.slice(0, 50);
    const rng = createRng(21);
    const means = Array.from({ length: 200 }, () => {
      let s = 0;
      for (let i = 0; i < ys.length; i++) s += ys[Math.floor(rng() * ys.length)]!;
      return s / ys.length;
    }).sort((a, b) => a - b);
    // numpy-style linear quantiles at 0.025 and 0.975 of 200 sorted means.
    const q = (p: number) => {
      const h = (means.length - 1) * p;
      const lo = Math.floor(h);
      return means[lo]! + (h - lo) * (means[lo + 1]! - means[lo]!);
    };
    const ci = bootstrapMeanCi(ys, { seed: 21, resamples: 200 });
    expect(ci.low).toBeCloseTo(q(0.025), 14); // (1 - 0.95) / 2 is 0.025 + 2e-17
    expect(ci.high).toBeCloseTo(q(0.975), 14);
  });
});
