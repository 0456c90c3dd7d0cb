import binomialCdf from "@stdlib/stats-base-dists-binomial-cdf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";

/**
 * Two-sided exact binomial p-value of `k` successes out of `n` at p = 1/2: twice the
 * smaller tail, capped at 1 (the symmetric case, where this equals the "sum of the
 * probabilities no more likely than observed" rule of R's `binom.test`). With `midP`, half
 * the probability of the observed count is left out of each tail (Lancaster's mid-p).
 *
 * @example
 * binomialTwoSided(1, 8); // 0.0703125 (= 18/256)
 */
export function binomialTwoSided(k: number, n: number, midP = false): number {
  if (n <= 0) return 1;
  const low = Math.min(k, n - k);
  let p = 2 * binomialCdf(low, n, 0.5);
  if (midP) p -= binomialPmfHalf(low, n);
  return Math.min(1, Math.max(0, p));
}

/** P(X = k) for X ~ Binomial(n, 1/2). */
function binomialPmfHalf(k: number, n: number): number {
  return binomialCdf(k, n, 0.5) - (k > 0 ? binomialCdf(k - 1, n, 0.5) : 0);
}

/**
 * Two-sided p-value of a standard normal statistic: 2 * (1 - Phi(|z|)).
 *
 * @example
 * normalTwoSided(1.959964); // ~0.05
 */
export function normalTwoSided(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
}
