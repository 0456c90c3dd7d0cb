import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { moments } from "./descriptive.js";
import type { ConfidenceInterval, TestResult } from "./types.js";

/** Count, mean and sample standard deviation (n - 1) of a sample; NaN left out and counted. */
export interface SampleSummary {
  n: number;
  nanCount: number;
  mean: number | null;
  std: number | null;
}

/**
 * Count, mean and sample standard deviation (n - 1; `null` below 2 values) of the non-NaN
 * values.
 *
 * @example
 * summarize([1, 2, 3, NaN]); // { n: 3, nanCount: 1, mean: 2, std: 1 }
 */
export function summarize(values: ArrayLike<number>): SampleSummary {
  const m = moments(Float64Array.from(values), true, 1);
  return { n: m.count, nanCount: m.nanCount, mean: m.mean, std: m.stdDev };
}

export interface WelchResult extends TestResult {
  /** Welch-Satterthwaite degrees of freedom. */
  df: number | null;
  a: SampleSummary;
  b: SampleSummary;
  /** `mean(a) - mean(b)`. */
  delta: number | null;
  ci: ConfidenceInterval;
}

/**
 * Welch's unequal-variances t-test of `mean(a) - mean(b)` (NaN left out): `t = delta / se`
 * with `se = sqrt(va/na + vb/nb)`, Welch-Satterthwaite degrees of freedom, a two-sided
 * p-value from Student's t, and the `level` (0.95) interval `delta +- t(df) * se`. `null`
 * figures when a side has fewer than 2 values; with `se = 0` (both sides constant) the test
 * is undefined (`statistic` and `pValue` null) and the interval is `[delta, delta]`.
 *
 * @example
 * welchTTest([0.81, 0.79, 0.83], [0.75, 0.77, 0.74]).pValue; // ~0.01
 */
export function welchTTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { level?: number } = {},
): WelchResult {
  const level = options.level ?? 0.95;
  const sa = summarize(a);
  const sb = summarize(b);
  const delta = sa.mean !== null && sb.mean !== null ? sa.mean - sb.mean : null;
  const none = { name: "welch-t", statistic: null, pValue: null, df: null, a: sa, b: sb, delta };
  if (sa.std === null || sb.std === null || delta === null) {
    return { ...none, ci: { low: null, high: null, level, method: "welch-t" } };
  }
  const va = sa.std ** 2 / sa.n;
  const vb = sb.std ** 2 / sb.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { ...none, ci: { low: delta, high: delta, level, method: "welch-t" } };
  const df = (va + vb) ** 2 / (va ** 2 / (sa.n - 1) + vb ** 2 / (sb.n - 1));
  const t = delta / se;
  const half = tQuantile(1 - (1 - level) / 2, df) * se;
  return {
    name: "welch-t",
    statistic: t,
    pValue: Math.min(1, 2 * tCdf(-Math.abs(t), df)),
    df,
    a: sa,
    b: sb,
    delta,
    ci: { low: delta - half, high: delta + half, level, method: "welch-t" },
  };
}
