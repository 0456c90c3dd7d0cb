/** Equal-width bins: `edges` (one more than `counts`) and the count of values in each bin. */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/**
 * numpy's `linspace(start, stop, bins + 1)`: `edges[i] = start + i * step` with the last
 * edge set to `stop` exactly.
 *
 * @example
 * binEdges(1, 10, 20).slice(0, 3); // [1, 1.45, 1.9]
 */
export function binEdges(start: number, stop: number, bins: number): number[] {
  const step = (stop - start) / bins;
  const edges = new Array<number>(bins + 1);
  for (let i = 0; i < bins; i++) edges[i] = i * step + start;
  edges[bins] = stop;
  return edges;
}

/**
 * A histogram of `values` with `bins` equal bins over the finite values, as
 * `numpy.histogram(values[isfinite(values)], bins)`: the range is the finite minimum to the
 * finite maximum (`min - 0.5` to `max + 0.5` when they are equal); every bin is half-open
 * `[edge, next)` except the last, which is closed `[edge, last]`, so the maximum falls in the
 * last bin. A value exactly on an inner edge goes to the bin that edge opens. NaN and
 * infinite values are not binned: `sum(counts)` is the number of finite values. With no
 * finite value, `edges` and `counts` are empty. `finiteRange`, when the caller knows it,
 * saves the pass that finds the finite minimum and maximum.
 *
 * @example
 * histogram(Float64Array.of(0, 1, 2, 3), 3); // { edges: [0, 1, 2, 3], counts: [1, 1, 2] }
 */
export function histogram(
  values: Float64Array,
  bins: number,
  finiteRange?: { min: number; max: number },
): Histogram {
  let min = finiteRange?.min ?? Number.POSITIVE_INFINITY;
  let max = finiteRange?.max ?? Number.NEGATIVE_INFINITY;
  if (!finiteRange) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v - v !== 0) continue; // NaN and infinities
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (!(min <= max)) return { edges: [], counts: [] };
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const edges = binEdges(min, max, bins);
  const at = Float64Array.from(edges);
  const counts = new Float64Array(bins);
  // An estimate within one bin of the right one, corrected against the exact edges below.
  const factor = bins / (max - min);
  const last = bins - 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) continue;
    // numpy's fast path: the computed bin, then corrected against the exact edges, so the
    // result is numpy's whatever the rounding of the estimate.
    let k = ((v - min) * factor) | 0;
    if (k >= bins) k = last;
    if (v < at[k]!) k--;
    else if (k !== last && v >= at[k + 1]!) k++;
    counts[k]!++;
  }
  return { edges, counts: Array.from(counts) };
}
