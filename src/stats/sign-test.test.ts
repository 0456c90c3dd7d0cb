import { describe, expect, it } from "vitest";
import { signTest } from "./sign-test.js";

// R's `sleep` data (Cushny & Peebles 1905): extra sleep of 10 patients under two drugs.
const g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe("signTest", () => {
  it("sleep data: 9 positive, 1 zero dropped, p = 2 / 2^9 = 0.00390625 (R binom.test(9, 9), scipy binomtest(9, 9))", () => {
    const r = signTest(g2.map((v, i) => v - g1[i]!));
    expect(r).toMatchObject({ name: "sign-exact", statistic: 9, positive: 9, negative: 0, zeros: 1 });
    expect(r.pValue).toBe(0.00390625);
  });

  it("ties and NaN are dropped and counted; 3 up, 1 down of 4: p = 2 * 5/16 (hand computation)", () => {
    const r = signTest([1, 2, 0, 0, NaN, 3, -1]);
    expect(r).toMatchObject({ positive: 3, negative: 1, zeros: 2, nanCount: 1 });
    expect(r.pValue).toBe(10 / 16);
  });

  it("all-equal data (all zero differences): p = 1", () => {
    expect(signTest([0, 0, 0]).pValue).toBe(1);
    expect(signTest([]).pValue).toBe(1);
  });

  it("normal approximation above exactMax, with continuity correction, signed z", () => {
    const diffs = [...Array(60).fill(1), ...Array(40).fill(-1)];
    const r = signTest(diffs, { exactMax: 50 });
    expect(r.name).toBe("sign-normal");
    // z = (|60 - 50| - 0.5) / (sqrt(100) / 2) = 1.9; scipy 2 * norm.sf(1.9) = 0.05743312...
    expect(r.statistic).toBeCloseTo(1.9, 12);
    expect(r.pValue).toBeCloseTo(0.057433, 5);
    expect(signTest(diffs).pValue).toBeCloseTo(0.056887, 5); // exact: scipy binomtest(60, 100) = 0.0568879
  });
});
