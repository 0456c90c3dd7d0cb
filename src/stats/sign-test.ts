import { binomialTwoSided, normalTwoSided } from "./binomial.js";
import type { TestResult } from "./types.js";

/** Above this many non-zero differences the sign test uses its normal approximation. */
export const SIGN_EXACT_MAX = 10_000;

/** A sign test's result, with the counts it used. */
export interface SignTestResult extends TestResult {
  /** Differences above / below zero. */
  positive: number;
  negative: number;
  /** Zero differences (ties), dropped from the test. */
  zeros: number;
  /** NaN differences, dropped. */
  nanCount: number;
}

/**
 * The sign test of paired differences against a median of zero. Zero differences (ties)
 * and NaN are dropped (the classical treatment, as R's `SIGN.test` and `binom.test` on the
 * signs); of the `n` left, the count of positive ones is Binomial(n, 1/2) under H0.
 *
 * - Exact (`sign-exact`, `n <= exactMax`): two-sided p = 2 * P(X <= min(n+, n-)), capped
 *   at 1; the statistic is `n+` (the count of positive differences).
 * - Approximate (`sign-normal`, above): `z = (|n+ - n/2| - 1/2) / (sqrt(n) / 2)` with a
 *   continuity correction; the statistic is `z`, signed like `n+ - n-`.
 *
 * With no non-zero difference the p-value is 1.
 *
 * @example
 * signTest([1.2, 2.4, 1.3, 1.3, 0, 1, 1.8, 0.8, 4.6, 1.4]).pValue; // 0.00390625 (9 of 9, one tie dropped)
 */
export function signTest(diffs: ArrayLike<number>, options: { exactMax?: number } = {}): SignTestResult {
  let positive = 0;
  let negative = 0;
  let zeros = 0;
  let nanCount = 0;
  for (let i = 0; i < diffs.length; i++) {
    const d = diffs[i]!;
    if (d > 0) positive++;
    else if (d < 0) negative++;
    else if (d === 0) zeros++;
    else nanCount++;
  }
  const n = positive + negative;
  const counts = { positive, negative, zeros, nanCount };
  if (n > (options.exactMax ?? SIGN_EXACT_MAX)) {
    const excess = Math.max(0, Math.abs(positive - n / 2) - 0.5);
    const z = (Math.sign(positive - negative) * excess) / (Math.sqrt(n) / 2);
    return { name: "sign-normal", statistic: z, pValue: normalTwoSided(z), ...counts };
  }
  return {
    name: "sign-exact",
    statistic: positive,
    pValue: binomialTwoSided(Math.min(positive, negative), n),
    ...counts,
  };
}
