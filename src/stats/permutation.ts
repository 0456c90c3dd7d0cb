import { normalTwoSided } from "./binomial.js";
import { createRng, DEFAULT_SEED } from "./prng.js";
import type { TestResult } from "./types.js";

/** Up to this many non-zero differences the permutation test enumerates every sign pattern. */
export const PERMUTATION_EXACT_MAX = 16;
/** Up to this many non-zero differences it samples sign patterns; above, a normal approximation. */
export const PERMUTATION_SAMPLED_MAX = 2_000;
/** Sign patterns sampled by default. */
export const PERMUTATION_RESAMPLES = 10_000;

export interface PermutationOptions {
  seed?: number;
  resamples?: number;
  /** Default {@link PERMUTATION_EXACT_MAX}. */
  exactMax?: number;
  /** Default {@link PERMUTATION_SAMPLED_MAX}. */
  sampledMax?: number;
}

/**
 * The paired permutation (sign-flipping) test of paired differences: under H0 each
 * difference is as likely to have either sign, so the observed sum is compared with the
 * sums of every (or of sampled) sign pattern; two-sided p = share of patterns with
 * `|sum| >= |observed sum|`. NaN differences are dropped; zeros stay (they cannot move the
 * sum). The statistic is the mean difference.
 *
 * - `permutation-exact` when at most `exactMax` (16) differences are non-zero: all 2^m patterns.
 * - `permutation-sampled` up to `sampledMax` (2,000): `resamples` (10,000) seeded patterns,
 *   p = (1 + hits) / (1 + resamples) (never 0, as Phipson & Smyth 2010 advise).
 * - `permutation-normal` above: the sign-flip sum has mean 0 and variance sum(d^2), so
 *   `z = sum(d) / sqrt(sum(d^2))` (the statistic stays the mean difference).
 *
 * @example
 * pairedPermutationTest([1, 2, 3]).pValue; // 0.25: 2 of the 8 sign patterns reach |sum| 6
 */
export function pairedPermutationTest(
  diffs: ArrayLike<number>,
  options: PermutationOptions = {},
): TestResult & { n: number } {
  const nonZero: number[] = [];
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < diffs.length; i++) {
    const d = diffs[i]!;
    if (Number.isNaN(d)) continue;
    n++;
    sum += d;
    sumSq += d * d;
    if (d !== 0) nonZero.push(d);
  }
  const mean = n > 0 ? sum / n : null;
  const m = nonZero.length;
  if (m === 0) return { name: "permutation-exact", statistic: mean, pValue: n > 0 ? 1 : null, n };
  if (m > (options.sampledMax ?? PERMUTATION_SAMPLED_MAX)) {
    return { name: "permutation-normal", statistic: mean, pValue: normalTwoSided(sum / Math.sqrt(sumSq)), n };
  }
  const observed = Math.abs(nonZero.reduce((a, b) => a + b, 0));
  // Sums equal to the observed one up to rounding count as reaching it.
  const bar = observed - 1e-9 * nonZero.reduce((a, b) => a + Math.abs(b), 0);
  if (m <= (options.exactMax ?? PERMUTATION_EXACT_MAX)) {
    return { name: "permutation-exact", statistic: mean, pValue: exactShare(nonZero, bar), n };
  }
  const resamples = options.resamples ?? PERMUTATION_RESAMPLES;
  const rnd = createRng(options.seed ?? DEFAULT_SEED);
  const values = Float64Array.from(nonZero);
  let hits = 0;
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < m; i += 32) {
      let bits = (rnd() * 4294967296) >>> 0;
      const end = Math.min(m, i + 32);
      for (let j = i; j < end; j++, bits >>>= 1) s += bits & 1 ? values[j]! : -values[j]!;
    }
    if (Math.abs(s) >= bar) hits++;
  }
  return { name: "permutation-sampled", statistic: mean, pValue: (1 + hits) / (1 + resamples), n };
}

/** The share of the 2^m sign patterns whose |sum| reaches `bar` (Gray-code walk: one flip per step). */
function exactShare(values: number[], bar: number): number {
  const m = values.length;
  const total = 2 ** m;
  const signs = new Int8Array(m).fill(1);
  let s = values.reduce((a, b) => a + b, 0);
  let hits = Math.abs(s) >= bar ? 1 : 0;
  for (let k = 1; k < total; k++) {
    let j = 0;
    while (((k >> j) & 1) === 0) j++;
    s -= 2 * signs[j]! * values[j]!;
    signs[j] = -signs[j]! as 1 | -1;
    if (Math.abs(s) >= bar) hits++;
  }
  return hits / total;
}
