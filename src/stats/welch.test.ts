import { describe, expect, it } from "vitest";
import { summarize, welchTTest } from "./welch.js";

// R's `sleep` data; R: t.test(extra ~ group, data = sleep) prints
// t = -1.8608, df = 17.776, p-value = 0.07939, 95% CI -3.3654832 0.2054832
// (scipy.stats.ttest_ind(g1, g2, equal_var=False) agrees: -1.8608134674868526, p 0.0793941401873583).
const g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe("welchTTest", () => {
  it("reproduces R's Welch two-sample t-test on the sleep data", () => {
    const r = welchTTest(g1, g2);
    expect(r.statistic).toBeCloseTo(-1.8608134674868526, 10);
    expect(r.df).toBeCloseTo(17.776473516178488, 10);
    expect(r.pValue).toBeCloseTo(0.0793941401873583, 10);
    expect(r.ci.low).toBeCloseTo(-3.3654832307117104, 9);
    expect(r.ci.high).toBeCloseTo(0.20548323071171137, 9);
    expect(r.delta).toBeCloseTo(-1.58, 12);
  });

  it("Wikipedia's Welch's t-test example 1 (n = 15 each): scipy t = -2.4554, df = 24.99, p = 0.021378", () => {
    const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const r = welchTTest(a, b);
    expect(r.statistic).toBeCloseTo(-2.455356398286006, 10);
    expect(r.df).toBeCloseTo(24.988529290231416, 8);
    expect(r.pValue).toBeCloseTo(0.021378001462866992, 10);
  });

  it("all-equal data: no test, a point interval; too few values: nulls", () => {
    const r = welchTTest([1, 1, 1], [1, 1]);
    expect(r).toMatchObject({ statistic: null, pValue: null, delta: 0 });
    expect(r.ci).toMatchObject({ low: 0, high: 0 });
    expect(welchTTest([1], [1, 2]).pValue).toBeNull();
    expect(welchTTest([], []).delta).toBeNull();
  });

  it("summarize leaves NaN out and counts it", () => {
    expect(summarize([1, 2, 3, NaN])).toEqual({ n: 3, nanCount: 1, mean: 2, std: 1 });
  });
});
