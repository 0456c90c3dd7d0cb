import type { AggregateFunction } from "../../../scores/types.js";
import { moments } from "../../../stats/descriptive.js";
import { percentiles } from "../../../stats/percentiles.js";

/**
 * The headline aggregate function over values (NaN left out): `average` (the mean), `sum`,
 * `min`, `max`, `median` (the 50th percentile, numpy's linear method). `null` when no value
 * is left.
 *
 * @example
 * applyAggregate("median", Float64Array.of(3, 1, 2, Number.NaN)); // 2
 */
export function applyAggregate(fn: AggregateFunction, values: Float64Array): number | null {
  if (fn === "median") return percentiles(values, [50])[0] ?? null;
  const m = moments(values, false);
  const pick: Record<Exclude<AggregateFunction, "median">, number | null> = {
    average: m.mean,
    sum: m.sum,
    min: m.min,
    max: m.max,
  };
  return pick[fn];
}

/**
 * Values grouped by an ordinal (compressed rows): `slice(k)` is the values of ordinal `k`.
 *
 * @example
 * const g = groupValues(Int32Array.of(1, 0, 1), Float64Array.of(5, 6, 7), 2); g.slice(1); // [5, 7]
 */
export function groupValues(
  ordinal: Int32Array,
  values: Float64Array,
  n: number,
): { slice(k: number): Float64Array } {
  const start = new Int32Array(n + 1);
  for (let i = 0; i < ordinal.length; i++) start[ordinal[i]! + 1]!++;
  for (let k = 0; k < n; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, n);
  const out = new Float64Array(ordinal.length);
  for (let i = 0; i < ordinal.length; i++) out[fill[ordinal[i]!]!++] = values[i]!;
  return { slice: (k) => out.subarray(start[k]!, start[k + 1]!) };
}

/** A number for JSON: NaN becomes `null`. */
export function orNull(v: number | null): number | null {
  return v === null || Number.isNaN(v) ? null : v;
}

/**
 * The aggregate function over each ordinal's values (NaN left out; NaN when none is left):
 * one pass with running sums, minima or maxima, or (`median`) per-ordinal slices.
 *
 * @example
 * perOrdinal("average", Int32Array.of(0, 1, 0), Float64Array.of(1, 5, 3), 2); // [2, 5]
 */
export function perOrdinal(
  fn: AggregateFunction,
  ordinal: Int32Array,
  values: Float64Array,
  n: number,
): Float64Array {
  const out = new Float64Array(n);
  if (fn === "median") {
    const grouped = groupValues(ordinal, values, n);
    for (let k = 0; k < n; k++) out[k] = percentiles(grouped.slice(k), [50])[0] ?? Number.NaN;
    return out;
  }
  const count = new Int32Array(n);
  out.fill(fn === "min" ? Number.POSITIVE_INFINITY : fn === "max" ? Number.NEGATIVE_INFINITY : 0);
  for (let i = 0; i < ordinal.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    const k = ordinal[i]!;
    count[k]!++;
    if (fn === "min") {
      if (v < out[k]!) out[k] = v;
    } else if (fn === "max") {
      if (v > out[k]!) out[k] = v;
    } else out[k]! += v;
  }
  for (let k = 0; k < n; k++) {
    if (count[k] === 0) out[k] = Number.NaN;
    else if (fn === "average") out[k]! /= count[k]!;
  }
  return out;
}
