import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { DEFAULT_SEED } from "./prng.js";
import type { ConfidenceInterval } from "./types.js";

/** Up to this many values the CI is a bootstrap one; above, the normal-theory (t) interval. */
export const BOOTSTRAP_MAX = 5_000;
/** Bootstrap resamples by default. */
export const BOOTSTRAP_RESAMPLES = 2_000;

export interface BootstrapOptions {
  seed?: number;
  resamples?: number;
  /** Default 0.95. */
  level?: number;
  /** Default {@link BOOTSTRAP_MAX}. */
  bootstrapMax?: number;
}

/**
 * A confidence interval of the mean of `values` (NaN left out).
 *
 * - `bootstrap-percentile` (n <= `bootstrapMax`, 5,000): `resamples` (2,000) seeded
 *   resamples with replacement; the bounds are the `(1 - level) / 2` and `(1 + level) / 2`
 *   quantiles of the resampled means (linear interpolation, numpy's default).
 * - `t` above: `mean +- t(1 - (1 - level)/2, n - 1) * sd / sqrt(n)`; at such n the bootstrap
 *   distribution of a mean is normal to within its own resampling noise.
 *
 * Bounds are `null` without values; one value (or all equal) gives `[v, v]`.
 *
 * @example
 * bootstrapMeanCi([0.1, 0.3, -0.2, 0.4], { seed: 7 }); // { low, high, level: 0.95, method: "bootstrap-percentile" }
 */
export function bootstrapMeanCi(
  values: ArrayLike<number>,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  const level = options.level ?? 0.95;
  const xs = finite(values);
  const n = xs.length;
  if (n > (options.bootstrapMax ?? BOOTSTRAP_MAX)) return tInterval(xs, level);
  const method = "bootstrap-percentile";
  if (n === 0) return { low: null, high: null, level, method };
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  const means = resampledMeans(xs, resamples, options.seed ?? DEFAULT_SEED);
  means.sort();
  return { low: quantile(means, (1 - level) / 2), high: quantile(means, (1 + level) / 2), level, method };
}

/**
 * Means of `resamples` resamples with replacement, drawn with `createRng`'s generator
 * (mulberry32) inlined: the same draws as `Math.floor(rnd() * n)`, without a call per draw.
 */
function resampledMeans(xs: Float64Array, resamples: number, seed: number): Float64Array {
  const n = xs.length;
  const means = new Float64Array(resamples);
  let a = (Number.isFinite(seed) ? Math.trunc(seed) : 0) >>> 0;
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      s += xs[Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)]!;
    }
    means[r] = s / n;
  }
  return means;
}

function finite(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) n++;
  if (n === values.length && values instanceof Float64Array) return values;
  const out = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) out[k++] = values[i]!;
  return out;
}

/** Linear-interpolated quantile of sorted values (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function tInterval(xs: Float64Array, level: number): ConfidenceInterval {
  const n = xs.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i]! - mean) ** 2;
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(ss / (n - 1) / n);
  return { low: mean - half, high: mean + half, level, method: "t" };
}
