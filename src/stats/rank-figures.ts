/**
 * The NVIDIA evaluator's percentile and histogram rules (its `aggregation.py`), for results
 * given in its shape. labbook's own figures (numpy's rules) are in `percentiles.ts` and
 * `histogram.ts`.
 */

/** The evaluator's fixed percentile set. */
export const RANK_PERCENTILES = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] as const;

/**
 * The `p`-th percentile of ascending, NaN-free values by the rank rule `(p / 100)(n + 1)`:
 * the 0-based position `(p / 100)(n + 1) - 1` is clamped to the first and last value and
 * interpolated linearly between its neighbours when fractional. `null` when empty.
 *
 * @example
 * rankPercentile([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 50); // 4.5
 * rankPercentile([1, 2, 3, 4], 10); // 1 (position -0.5, clamped)
 */
export function rankPercentile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const pos = (p / 100) * (n + 1) - 1;
  if (pos <= 0) return sorted[0]!;
  if (pos >= n - 1) return sorted[n - 1]!;
  const lo = Math.floor(pos);
  const a = sorted[lo]!;
  return a + (pos - lo) * (sorted[lo + 1]! - a);
}

/** One bin of an equal-width histogram. */
export interface RankHistogramBin {
  lowerBound: number;
  upperBound: number;
  count: number;
}

/**
 * The evaluator's histogram: `bins` equal-width bins from the minimum to the maximum, bin `i`
 * from `min + i * w` to `min + (i + 1) * w` (`w = (max - min) / bins`), half-open except the
 * last, which is closed and ends at the maximum so the maximum is always counted. Equal
 * values give one bin `[v, v]` holding them all; no value gives no bin. NaN and infinite
 * values are not binned (the range is that of the finite values).
 *
 * @example
 * rankHistogram(Float64Array.of(0, 1, 2, 3), 3).map((b) => b.count); // [1, 1, 2]
 */
export function rankHistogram(values: Float64Array, bins = 10): RankHistogramBin[] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) continue;
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return [];
  if (min === max) return [{ lowerBound: min, upperBound: max, count: n }];
  const w = (max - min) / bins;
  const out: RankHistogramBin[] = [];
  for (let i = 0; i < bins; i++) {
    out.push({ lowerBound: min + i * w, upperBound: i === bins - 1 ? max : min + (i + 1) * w, count: 0 });
  }
  const last = bins - 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) continue;
    let k = Math.min(last, Math.floor((v - min) / w));
    // Correct the estimate against the bounds as computed above.
    while (k > 0 && v < out[k]!.lowerBound) k--;
    while (k < last && v >= out[k]!.upperBound) k++;
    out[k]!.count++;
  }
  return out;
}
