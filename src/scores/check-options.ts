import { invalid } from "../core/errors.js";
import type { KnownKeys } from "../core/known-keys.js";
import {
  type AggregateFunction,
  DEFAULT_BINS,
  DEFAULT_PERCENTILES,
  RANGE_FIELDS,
  RUBRIC_FIELDS,
  type RunResultOptions,
  type ScoreField,
} from "./types.js";

/** Every option of `runResult`. */
export const RUN_RESULT_KEYS = {
  aggregate: true,
  page: true,
  pageSize: true,
  datapoints: true,
} as const satisfies KnownKeys<RunResultOptions>;

/** Percentiles in [0, 100]; the default list when omitted. */
export function checkPercentiles(p: unknown, field = "percentiles"): number[] {
  if (p === undefined) return [...DEFAULT_PERCENTILES];
  if (!Array.isArray(p) || p.some((x) => typeof x !== "number" || !(x >= 0 && x <= 100))) {
    throw invalid(field, "must be an array of numbers in [0, 100]", p);
  }
  return [...p];
}

/** Histogram bins: a whole number in [1, 10000]. */
export function checkBins(b: unknown, field = "bins"): number {
  if (b === undefined) return DEFAULT_BINS;
  if (typeof b !== "number" || !Number.isInteger(b) || b < 1 || b > 10_000) {
    throw invalid(field, "must be a whole number from 1 to 10000", b);
  }
  return b;
}

const KNOWN = new Set<string>([...RANGE_FIELDS, ...RUBRIC_FIELDS]);

/** Requested figures (all when omitted). */
export function checkFields<F extends string = ScoreField>(
  f: unknown,
  allowed: ReadonlySet<string> = KNOWN,
  field = "fields",
): Set<F> | null {
  if (f === undefined || f === null) return null;
  if (!Array.isArray(f) || f.some((x) => typeof x !== "string" || !allowed.has(x))) {
    const bad = Array.isArray(f) ? f.find((x) => !allowed.has(x)) : f;
    throw invalid(field, `must list figures among ${[...allowed].join(", ")}`, bad);
  }
  return new Set(f as F[]);
}

export const AGGREGATE_FUNCTIONS: readonly AggregateFunction[] = ["average", "sum", "min", "max", "median"];

/** The headline aggregate function (`average` when omitted). */
export function checkAggregateFunction(a: unknown, field = "aggregate"): AggregateFunction {
  if (a === undefined) return "average";
  if (!AGGREGATE_FUNCTIONS.includes(a as AggregateFunction)) {
    throw invalid(field, `must be one of ${AGGREGATE_FUNCTIONS.join(", ")}`, a);
  }
  return a as AggregateFunction;
}

/** A list of field paths (one path or several). */
export function checkPaths(g: unknown, field = "groupBy"): string[] {
  if (g === undefined || g === null) return [];
  const list = typeof g === "string" ? [g] : g;
  if (!Array.isArray(list) || list.some((x) => typeof x !== "string" || x.length === 0)) {
    throw invalid(field, "must be a field path or an array of field paths", g);
  }
  return [...list];
}

/** A list of names (scores or metrics); `metrics.` prefixes are dropped when `prefix` is given. */
export function checkNames(n: unknown, field: string, prefix?: string): string[] {
  if (!Array.isArray(n) || n.some((x) => typeof x !== "string" || x.length === 0)) {
    throw invalid(field, "must be an array of names", n);
  }
  return n.map((x: string) => (prefix && x.startsWith(prefix) ? x.slice(prefix.length) : x));
}
