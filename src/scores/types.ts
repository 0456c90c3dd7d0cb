import type { JsonValue } from "../core/codec.js";
import type { RunStatus, ScoreValue } from "../core/types.js";
import type { DescriptiveFigures } from "../stats/descriptive.js";
import type { ScoreKind } from "./definitions.js";

/** The figures of a `range` score (or of a metric over runs). */
export const RANGE_FIELDS = [
  "count",
  "nanCount",
  "sum",
  "mean",
  "min",
  "max",
  "variance",
  "stdDev",
  "percentiles",
  "histogram",
] as const;
export type RangeField = (typeof RANGE_FIELDS)[number];
/** The figures of a `rubric` score. */
export const RUBRIC_FIELDS = ["count", "nanCount", "distribution", "modeCategory"] as const;
export type RubricField = (typeof RUBRIC_FIELDS)[number];
export type ScoreField = RangeField | RubricField;

/** Default percentiles: p1 p5 p10 p25 p50 p75 p90 p95 p99. */
export const DEFAULT_PERCENTILES: readonly number[] = [1, 5, 10, 25, 50, 75, 90, 95, 99];
/** Default histogram bins. */
export const DEFAULT_BINS = 20;

/** A filter on rows or runs: the JSON operator form or the string syntax of the query language. */
export type QueryInput = string | Record<string, unknown>;

/**
 * The figures of a numeric sample. `count` is the number of values excluding NaN (so
 * `mean * count = sum`, as the NVIDIA evaluator's `count`); `nanCount` counts the rest (NaN,
 * and for a run's row scores also rows without a value), which are left out of every other
 * figure (`null` when no value is left). `variance` and `stdDev` are population figures
 * (ddof 0) over a run's rows and sample figures (ddof 1, as pandas) over runs; `ddof` says
 * which.
 * `percentiles` maps `p50`-style keys to linearly interpolated values (numpy's default);
 * `histogram` has equal bins over the finite values (`edges` one longer than `counts`).
 */
export type RangeFigures = DescriptiveFigures;

export interface RangeScoreAggregate extends RangeFigures {
  name: string;
  scoreType: "range";
}

export interface RubricScoreAggregate {
  name: string;
  scoreType: "rubric";
  /** Rows (or datapoints) with a category. */
  count?: number;
  /** Rows (or datapoints) without one: missing, null or NaN. */
  nanCount?: number;
  /** Defined categories first (in their order, zero counts kept), then the others in natural order. */
  distribution?: { category: string; count: number }[];
  /** The most frequent category; ties go to the first in `distribution` order. `null` when empty. */
  modeCategory?: string | null;
}

export type ScoreAggregate = RangeScoreAggregate | RubricScoreAggregate;

export interface AggregateScoresOptions {
  /** Score names to aggregate; default every score of the run, in name order. */
  scores?: string[];
  /** Percentiles in [0, 100]. */
  percentiles?: number[];
  /** Histogram bins, >= 1. */
  bins?: number;
  /** Only rows matching this query (row fields: `datapoint_id`, `trial`, `item.*`, `output.*`, `scores.*`). */
  filter?: QueryInput;
  /** Row field paths to group by; each group gets its own figures. */
  groupBy?: string | string[];
  /** Only these figures (plus `name` and `scoreType`). */
  fields?: ScoreField[];
  /** Average each datapoint's trials first (rubric: its most frequent category), so each datapoint counts once. */
  byDatapoint?: boolean;
  /**
   * `"nemo"`: the NVIDIA evaluator's figure set and field names (`count`, `nan_count`,
   * `std_dev`, `score_type`, percentiles p10..p100 by its rank rule, 10 histogram bins,
   * `rubric_distribution`, `mode_category`); see `NemoAggregateScoresResult`. Not with
   * `percentiles`, `bins` or `fields`.
   */
  compat?: "nemo";
}

export interface ScoreGroup {
  /** The group's values, by `groupBy` path (`null` when a row lacks the field). */
  key: Record<string, JsonValue>;
  rows: number;
  scores: ScoreAggregate[];
}

export interface AggregateScoresResult {
  runId: string;
  /** Rows covered (after the filter). */
  rows: number;
  scores: ScoreAggregate[];
  /** With `groupBy`: one entry per distinct key, in key order. */
  groups?: ScoreGroup[];
}

/** The headline aggregate function of a run result. */
export type AggregateFunction = "average" | "sum" | "min" | "max" | "median";

export interface RunResultOptions {
  /** Default `average`. */
  aggregate?: AggregateFunction;
  /** 1-based page of `datapoints`; default 1. */
  page?: number;
  /** Datapoints per page, 1-1000; default 100. */
  pageSize?: number;
  /** Only datapoints that passed or failed. */
  datapoints?: "all" | "passed" | "failed";
}

export interface RunResultMetric {
  kind: ScoreKind;
  /** The aggregate function over the metric's non-NaN values; `null` for rubric metrics or no value. */
  aggregate: number | null;
  /** Rows with a value. */
  count: number;
  /** Rows that passed / failed the metric's threshold (both 0 without a threshold). */
  passed: number;
  failed: number;
  /** For rubric metrics: the most frequent category. */
  modeCategory?: string | null;
}

export interface DatapointResult {
  datapointId: string;
  trials: number;
  passed: boolean;
  /** Metrics whose threshold one of the datapoint's rows failed, by name. */
  failedMetrics: string[];
  /** Range scores and composites: the aggregate function over the datapoint's trials. */
  values: Record<string, number | null>;
}

export interface Page<T> {
  data: T[];
  pagination: { page: number; pageSize: number; totalPages: number; totalResults: number };
}

export interface RunResult {
  runId: string;
  status: RunStatus;
  /** The run finished (`success`) and every datapoint passed. */
  success: boolean;
  /** Datapoints that passed / failed. */
  passed: number;
  failed: number;
  /** `passed / (passed + failed)`; `null` without datapoints. */
  passRate: number | null;
  aggregate: AggregateFunction;
  metrics: Record<string, RunResultMetric>;
  composites: Record<string, number | null>;
  datapoints: Page<DatapointResult>;
}

export interface AggregateRunsOptions {
  /** `name` or `name:version`: only runs of this experiment. */
  experiment?: string;
  /** Only runs matching this query. */
  filter?: QueryInput;
  /** Metric names (`acc` or `metrics.acc`). */
  metrics: string[];
  /** Run field paths (`params.lr`, `tags.stage`, `status`, `experiment`, `name`...). */
  groupBy?: string | string[];
  percentiles?: number[];
  bins?: number;
  /** Only these figures; default all but the histogram. */
  fields?: RangeField[];
}

export interface RunGroupAggregate {
  key: Record<string, JsonValue>;
  runs: number;
  metrics: Record<string, RangeFigures>;
}

export interface AggregateRunsResult {
  groupBy: string[];
  groups: RunGroupAggregate[];
}

/** A row's scores for composites and thresholds. */
export type RowScores = Record<string, ScoreValue>;

/** A composite metric to define: an arithmetic expression over `scores.<name>` and `metrics.<name>`. */
export interface CompositeDefinitionInput {
  name: string;
  /** e.g. `0.7 * scores.correct + 0.3 * scores.fluency`; see `parseComposite`. */
  expression: string;
}

/** A stored composite metric of one experiment version. */
export interface CompositeDefinition {
  experimentId: string;
  name: string;
  expression: string;
}
