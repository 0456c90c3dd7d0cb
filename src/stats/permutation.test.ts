import { describe, expect, it } from "vitest";
import { pairedPermutationTest } from "./permutation.js";

describe("pairedPermutationTest", () => {
  it("exact: [1, 2, 3] reaches |sum| 6 in 2 of 8 patterns (hand enumeration)", () => {
    const r = pairedPermutationTest([1, 2, 3]);
    expect(r).toMatchObject({ name: "permutation-exact", statistic: 2, pValue: 0.25, n: 3 });
  });

  it("exact: [1, -2, 3, 4] (hand enumeration: sums >= 6 in |.|: 6, 8, 10 and mirrors = 6 of 16)", () => {
    // sums of +-1 +-2 +-3 +-4: |sum| in {10,8,6,4,2,0}; observed 6.
    expect(pairedPermutationTest([1, -2, 3, 4]).pValue).toBe(6 / 16);
  });

  it("sleep data differences: all 9 non-zero positive, p = 2 / 2^9 (zero kept in the mean, not in the patterns)", () => {
    const d = [1.2, 2.4, 1.3, 1.3, 0, 1.0, 1.8, 0.8, 4.6, 1.4];
    const r = pairedPermutationTest(d);
    expect(r.pValue).toBe(2 / 512);
    expect(r.statistic).toBeCloseTo(1.58, 12);
  });

  it("all-equal (zero) differences: p = 1; NaN dropped; no data: null", () => {
    expect(pairedPermutationTest([0, 0, 0]).pValue).toBe(1);
    expect(pairedPermutationTest([NaN, 1, 2, 3]).pValue).toBe(0.25);
    expect(pairedPermutationTest([]).pValue).toBeNull();
  });

  it("sampled: close to the exact p-value, and the same for the same seed", () => {
    const d = Array.from({ length: 14 }, (_, i) => ((i * 7) % 5) - 1.5);
    const exact = pairedPermutationTest(d).pValue!;
    const a = pairedPermutationTest(d, { exactMax: 0, seed: 3 });
    const b = pairedPermutationTest(d, { exactMax: 0, seed: 3 });
    expect(a.name).toBe("permutation-sampled");
    expect(a.pValue).toBe(b.pValue);
    expect(Math.abs(a.pValue! - exact)).toBeLessThan(0.02);
    expect(pairedPermutationTest(d, { exactMax: 0, seed: 4 }).pValue).not.toBe(a.pValue);
  });

  it("normal approximation for large n: z = sum / sqrt(sum of squares)", () => {
    const d = [...Array(30).fill(1), ...Array(20).fill(-1)];
    const r = pairedPermutationTest(d, { sampledMax: 10 });
    expect(r.name).toBe("permutation-normal");
    // z = 10 / sqrt(50) = 1.41421; scipy 2 * norm.sf(1.4142135) = 0.1572992
    expect(r.pValue).toBeCloseTo(0.1572992, 6);
  });
});
