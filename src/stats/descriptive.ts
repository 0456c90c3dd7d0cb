import { histogram } from "./histogram.js";
import { type KnownExtent, percentileKey, percentiles } from "./percentiles.js";

/**
 * The figures of a numeric sample, as `aggregateScores` and `aggregateRuns` return them.
 * `count` is the number of values excluding NaN (so `mean * count = sum`); `nanCount` the
 * NaN values, which are left out of every other figure (`null` when no value is left).
 * `ddof` states which variance and standard deviation these are: 0 the population figures
 * (numpy's default), 1 the sample figures (pandas' default, `n - 1`).
 */
export interface DescriptiveFigures {
  count?: number;
  nanCount?: number;
  ddof?: Ddof;
  sum?: number | null;
  mean?: number | null;
  min?: number | null;
  max?: number | null;
  variance?: number | null;
  stdDev?: number | null;
  percentiles?: Record<string, number | null>;
  histogram?: { edges: number[]; counts: number[] };
}

export type DescriptiveField = keyof DescriptiveFigures;

/** Delta degrees of freedom of a variance: 0 population (divide by `n`), 1 sample (divide by `n - 1`). */
export type Ddof = 0 | 1;

export interface Moments {
  count: number;
  nanCount: number;
  sum: number | null;
  mean: number | null;
  min: number | null;
  max: number | null;
  variance: number | null;
  stdDev: number | null;
}

/**
 * Count (NaN excluded), NaN count, sum, mean, min, max, and the variance and standard
 * deviation of `values`, NaN left out: population figures with `ddof` 0 (numpy's default),
 * sample figures with `ddof` 1 (pandas' default; `null` below two values). Numerically
 * stable: the sum is compensated (Neumaier), and the variance is the two-pass sum of squared
 * deviations from the mean with its rounding correction; equal values have variance 0
 * exactly. With an infinity the sum and mean are that infinity (NaN with both signs) and the
 * variance is NaN, as numpy's.
 *
 * @example
 * moments(Float64Array.of(1, 2, 3, 4, Number.NaN));
 * // { count: 4, nanCount: 1, sum: 10, mean: 2.5, min: 1, max: 4, variance: 1.25, stdDev: 1.118... }
 */
export function moments(values: Float64Array, withVariance = true, ddof: Ddof = 0): Moments {
  const count = values.length;
  let n = 0;
  let s = 0;
  let c = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    n++;
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
    if (v < min || (v === 0 && min === 0 && Object.is(v, -0))) min = v;
    if (v > max || (v === 0 && max === 0 && Object.is(max, -0))) max = v;
  }
  if (n === 0) {
    return {
      count: 0,
      nanCount: count,
      sum: null,
      mean: null,
      min: null,
      max: null,
      variance: null,
      stdDev: null,
    };
  }
  const sum = Number.isFinite(s) ? s + c : s;
  const mean = sum / n;
  let variance: number | null = null;
  if (withVariance && n - ddof > 0) {
    if (!Number.isFinite(mean)) variance = Number.NaN;
    else if (min === max) variance = 0;
    else {
      let sq = 0;
      let lin = 0;
      for (let i = 0; i < count; i++) {
        const v = values[i]!;
        if (Number.isNaN(v)) continue;
        const d = v - mean;
        sq += d * d;
        lin += d;
      }
      variance = Math.max(0, (sq - (lin * lin) / n) / (n - ddof));
    }
  }
  return {
    count: n,
    nanCount: count - n,
    sum,
    mean,
    min,
    max,
    variance,
    stdDev: variance === null ? null : Math.sqrt(variance),
  };
}

export interface DescribeOptions {
  /** Percentiles in [0, 100]; none when omitted. */
  percentiles?: readonly number[];
  /** Histogram bins; no histogram when omitted. */
  bins?: number;
  /** Only these figures (all computable ones when omitted). */
  fields?: ReadonlySet<string> | null;
  /** Population (0, the default) or sample (1) variance and standard deviation. */
  ddof?: Ddof;
}

const MOMENT_FIELDS = ["count", "nanCount", "sum", "mean", "min", "max", "variance", "stdDev"] as const;

/**
 * The figures of `values` (see {@link moments}, `percentiles`, `histogram`): only those in
 * `fields` when given, and only the work they need (no selection without percentiles).
 * Percentile keys are `p<p>` (`p50`, `p99.9`).
 *
 * @example
 * describeValues(Float64Array.of(1, 2, 3, 4), { percentiles: [50], bins: 2 });
 * // { count: 4, ..., percentiles: { p50: 2.5 }, histogram: { edges: [1, 2.5, 4], counts: [2, 2] } }
 */
export function describeValues(values: Float64Array, options: DescribeOptions = {}): DescriptiveFigures {
  const want = (f: string) => !options.fields || options.fields.has(f);
  const out: DescriptiveFigures = {};
  let extent: KnownExtent | undefined;
  if (MOMENT_FIELDS.some(want)) {
    const spread = want("variance") || want("stdDev");
    const ddof = options.ddof ?? 0;
    const m = moments(values, spread, ddof);
    for (const f of MOMENT_FIELDS) if (want(f)) (out as Record<string, unknown>)[f] = m[f];
    if (spread) out.ddof = ddof;
    if (m.min !== null && m.max !== null && Number.isFinite(m.min) && Number.isFinite(m.max)) {
      extent = { count: m.count, min: m.min, max: m.max };
    }
  }
  if (options.percentiles && want("percentiles")) {
    const ps = options.percentiles;
    const vs = percentiles(values, ps, extent);
    out.percentiles = Object.fromEntries(ps.map((p, i) => [percentileKey(p), vs[i] ?? null]));
  }
  if (options.bins !== undefined && want("histogram"))
    out.histogram = histogram(values, options.bins, extent);
  return out;
}
