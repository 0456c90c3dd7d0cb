/**
 * Cohen's d of paired differences (d_z): mean difference over the sample standard deviation
 * of the differences (n - 1). NaN values are left out. `null` with fewer than 2 values, or
 * when the differences are all equal and non-zero (the ratio is unbounded); 0 when they are
 * all zero.
 *
 * @example
 * cohensDz([1, 2, 3]); // 2 (mean 2, sd 1)
 */
export function cohensDz(diffs: ArrayLike<number>): number | null {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < diffs.length; i++) {
    if (Number.isNaN(diffs[i]!)) continue;
    n++;
    sum += diffs[i]!;
  }
  if (n < 2) return null;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < diffs.length; i++) if (!Number.isNaN(diffs[i]!)) ss += (diffs[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  if (sd === 0 || sd < 1e-12 * Math.abs(mean)) return mean === 0 ? 0 : null;
  return mean / sd;
}
