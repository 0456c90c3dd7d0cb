import type { JsonValue } from "../core/codec.js";
import { moments } from "../stats/descriptive.js";
import { RANK_PERCENTILES, rankHistogram, rankPercentile } from "../stats/rank-figures.js";

/**
 * Aggregates in the NVIDIA evaluator's shape and meanings (`aggregateScores(runId, { compat:
 * "nemo" })`): its field names, percentiles p10..p100 by its rank rule, 10 histogram bins,
 * population variance and standard deviation, and its rubric mode (ties: the smallest label).
 */
export type NemoPercentiles = Record<`p${(typeof RANK_PERCENTILES)[number]}`, number>;

export interface NemoHistogramBin {
  lower_bound: number;
  upper_bound: number;
  count: number;
}

interface NemoBase {
  name: string;
  /** Values excluding NaN. */
  count: number;
  /** Rows (or datapoints) without a value: NaN, null or missing. */
  nan_count: number;
  sum: number | null;
  mean: number | null;
  min: number | null;
  max: number | null;
  /** Population standard deviation (ddof 0). */
  std_dev: number | null;
  /** Population variance (ddof 0). */
  variance: number | null;
}

export interface NemoRangeScore extends NemoBase {
  score_type: "range";
  /** `null` when no value is left. */
  percentiles: NemoPercentiles | null;
  histogram: { bins: NemoHistogramBin[] };
}

export interface NemoRubricStat {
  label: string;
  /** The label as a number when it is one (`"4"`), else `null`. */
  value: number | null;
  count: number;
}

export interface NemoRubricScore extends NemoBase {
  score_type: "rubric";
  rubric_distribution: NemoRubricStat[];
  /** The most frequent label; ties go to the smallest label; `null` without a value. */
  mode_category: string | null;
}

export type NemoAggregateScore = NemoRangeScore | NemoRubricScore;

export interface NemoScoreGroup {
  key: Record<string, JsonValue>;
  rows: number;
  scores: NemoAggregateScore[];
}

/** What `aggregateScores(runId, { compat: "nemo" })` returns. */
export interface NemoAggregateScoresResult {
  runId: string;
  compat: "nemo";
  /** Rows covered (after the filter). */
  rows: number;
  scores: NemoAggregateScore[];
  groups?: NemoScoreGroup[];
}

function base(name: string, values: Float64Array, slots: number): NemoBase {
  const m = moments(values);
  return {
    name,
    count: m.count,
    nan_count: slots - m.count,
    sum: m.sum,
    mean: m.mean,
    min: m.min,
    max: m.max,
    std_dev: m.stdDev,
    variance: m.variance,
  };
}

/**
 * A range score's figures in the evaluator's shape; `slots` is how many values the score
 * could have (rows, or datapoints), so `nan_count` also counts rows without a value.
 *
 * @example
 * nemoRangeScore("s", Float64Array.of(0, NaN, 2, 5, NaN, 15), 6); // { count: 4, nan_count: 2, mean: 5.5, ... }
 */
export function nemoRangeScore(name: string, values: Float64Array, slots: number): NemoRangeScore {
  const b = base(name, values, slots);
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  const percentiles =
    sorted.length === 0
      ? null
      : (Object.fromEntries(
          RANK_PERCENTILES.map((p) => [`p${p}`, rankPercentile(sorted, p)]),
        ) as NemoPercentiles);
  const bins = rankHistogram(values).map((x) => ({
    lower_bound: x.lowerBound,
    upper_bound: x.upperBound,
    count: x.count,
  }));
  return { ...b, score_type: "range", percentiles, histogram: { bins } };
}

/** A label's number, when the label spells one. */
function labelValue(label: string): number | null {
  const v = label.trim() === "" ? Number.NaN : Number(label);
  return Number.isFinite(v) ? v : null;
}

/**
 * A rubric score's figures in the evaluator's shape: the distribution (defined labels first,
 * in `distribution` order), the mode (ties: the smallest label by code point, as the
 * evaluator's `sorted(...)[0]`), and the numeric figures over the labels' values when every
 * counted label is a number (else `null`).
 *
 * @example
 * nemoRubricScore("tone", [{ category: "good", count: 1 }], 2); // { count: 1, nan_count: 1, mode_category: "good", ... }
 */
export function nemoRubricScore(
  name: string,
  distribution: readonly { category: string; count: number }[],
  slots: number,
): NemoRubricScore {
  const stats = distribution.map((c) => ({
    label: c.category,
    value: labelValue(c.category),
    count: c.count,
  }));
  const count = stats.reduce((n, s) => n + s.count, 0);
  const numeric = stats.every((s) => s.count === 0 || s.value !== null);
  const values = new Float64Array(numeric ? count : 0);
  if (numeric) {
    let at = 0;
    for (const s of stats) for (let i = 0; i < s.count; i++) values[at++] = s.value!;
  }
  const b = numeric
    ? base(name, values, slots)
    : { ...base(name, new Float64Array(0), slots), count, nan_count: slots - count };
  let mode: string | null = null;
  let most = 0;
  for (const s of stats) {
    if (s.count > most || (s.count === most && most > 0 && mode !== null && s.label < mode)) {
      mode = s.label;
      most = s.count;
    }
  }
  return { ...b, score_type: "rubric", rubric_distribution: stats, mode_category: mode };
}
