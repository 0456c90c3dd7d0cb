import { describe, expect, it } from "vitest";
import { binomialTwoSided } from "./binomial.js";
import { mcnemarTest } from "./mcnemar.js";

describe("mcnemarTest", () => {
  it("exact small n: b=7, c=1 gives 2 * (1 + 8) / 256 (hand computation; scipy binomtest(1, 8) = 0.0703125)", () => {
    const r = mcnemarTest(7, 1);
    expect(r.name).toBe("mcnemar-exact");
    expect(r.statistic).toBe(1);
    expect(r.pValue).toBe(18 / 256);
    expect(mcnemarTest(1, 7).pValue).toBe(18 / 256);
  });

  it("mid-p subtracts P(X = 1) = 8/256 (scipy: 0.0703125 - binom.pmf(1, 8, .5) = 0.0390625)", () => {
    const r = mcnemarTest(7, 1, { midP: true });
    expect(r.name).toBe("mcnemar-exact-midp");
    expect(r.pValue).toBeCloseTo(0.0390625, 12);
  });

  it("Agresti's presidential approval table (794, 150 / 86, 570): exact p = 3.7159e-05 (scipy binomtest(86, 236))", () => {
    expect(mcnemarTest(150, 86).pValue).toBeCloseTo(3.7159361395713866e-5, 12);
  });

  it("its chi-square approximation matches R's mcnemar.test: 16.818, p = 4.115e-05 (R ?mcnemar.test example)", () => {
    const r = mcnemarTest(150, 86, { exactMax: 100 });
    expect(r.name).toBe("mcnemar-chi2");
    expect(r.statistic).toBeCloseTo(16.81779661016949, 10);
    expect(r.pValue).toBeCloseTo(4.114562281345944e-5, 10);
  });

  it("no discordant pair, or as many each way: p = 1", () => {
    expect(mcnemarTest(0, 0).pValue).toBe(1);
    expect(mcnemarTest(5, 5).pValue).toBe(1);
    expect(mcnemarTest(5, 5, { midP: true }).pValue).toBeCloseTo(1, 12);
  });

  it("the approximation is close to the exact test for large n", () => {
    const exact = mcnemarTest(5200, 4900).pValue!;
    const approx = mcnemarTest(5200, 4900, { exactMax: 0 }).pValue!;
    expect(Math.abs(exact - approx) / exact).toBeLessThan(0.02);
  });

  it("binomialTwoSided: all-or-nothing with n = 10 is 2/1024", () => {
    expect(binomialTwoSided(0, 10)).toBe(2 / 1024);
    expect(binomialTwoSided(10, 10)).toBe(2 / 1024);
  });
});
