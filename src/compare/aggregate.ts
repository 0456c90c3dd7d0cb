import type { AggregateFunction } from "../scores/types.js";

/**
 * The headline aggregate of values (none NaN): `average`, `sum`, `min`, `max` or `median`
 * (mean of the two middle values for an even count). `null` for no value.
 *
 * @example
 * aggregateOf(Float64Array.from([3, 1, 2]), "median"); // 2
 */
export function aggregateOf(values: Float64Array, fn: AggregateFunction): number | null {
  const n = values.length;
  if (n === 0) return null;
  if (fn === "median") {
    const s = Float64Array.from(values).sort();
    return n % 2 ? s[n >> 1]! : (s[(n >> 1) - 1]! + s[n >> 1]!) / 2;
  }
  let acc = fn === "min" ? Infinity : fn === "max" ? -Infinity : 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (fn === "min") acc = v < acc ? v : acc;
    else if (fn === "max") acc = v > acc ? v : acc;
    else acc += v;
  }
  return fn === "average" ? acc / n : acc;
}

/** The aggregate functions, for validation. */
export const AGGREGATE_FUNCTIONS: readonly AggregateFunction[] = ["average", "sum", "min", "max", "median"];
