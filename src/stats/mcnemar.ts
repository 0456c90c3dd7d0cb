import { binomialTwoSided, normalTwoSided } from "./binomial.js";
import type { TestResult } from "./types.js";

/** Above this many discordant pairs McNemar's test uses its chi-square approximation. */
export const MCNEMAR_EXACT_MAX = 10_000;

export interface McNemarOptions {
  /** Lancaster's mid-p instead of the exact (conservative) p-value; exact test only. Default false. */
  midP?: boolean;
  /** The largest `b + c` tested exactly; default {@link MCNEMAR_EXACT_MAX}. */
  exactMax?: number;
}

/**
 * McNemar's test of paired binary outcomes from the two discordant counts: `b` pairs that
 * went 0 -> 1 and `c` pairs that went 1 -> 0 (concordant pairs carry no information).
 *
 * - Exact (`mcnemar-exact`, when `b + c <= exactMax`): under H0 each discordant pair is a
 *   fair coin, so `min(b, c) ~ Binomial(b + c, 1/2)`; two-sided p = 2 * P(X <= min(b, c)),
 *   capped at 1. The statistic is `min(b, c)` (as statsmodels' `mcnemar(exact=True)`).
 *   `midP` subtracts P(X = min(b, c)) (mid-p, less conservative).
 * - Approximate (`mcnemar-chi2`, above): the chi-square statistic with Edwards' continuity
 *   correction `(|b - c| - 1)^2 / (b + c)` on 1 degree of freedom (R's `mcnemar.test`).
 *
 * With no discordant pair the p-value is 1.
 *
 * @example
 * mcnemarTest(7, 1); // { name: "mcnemar-exact", statistic: 1, pValue: 0.0703125 }
 */
export function mcnemarTest(b: number, c: number, options: McNemarOptions = {}): TestResult {
  const n = b + c;
  if (n > (options.exactMax ?? MCNEMAR_EXACT_MAX)) {
    const chi2 = Math.max(0, Math.abs(b - c) - 1) ** 2 / n;
    return { name: "mcnemar-chi2", statistic: chi2, pValue: normalTwoSided(Math.sqrt(chi2)) };
  }
  return {
    name: options.midP ? "mcnemar-exact-midp" : "mcnemar-exact",
    statistic: Math.min(b, c),
    pValue: binomialTwoSided(Math.min(b, c), n, options.midP === true),
  };
}
