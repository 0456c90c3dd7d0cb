import type { MetricDirection, ScoreKind } from "../scores/definitions.js";
import type { AggregateFunction } from "../scores/types.js";
import type { ConfidenceInterval, TestResult } from "../stats/types.js";
import type { SampleSummary } from "../stats/welch.js";

/** What a comparison concludes, for a CI gate: exit codes 0, 2, 1, 3 in the CLI. */
export type CompareVerdict = "pass" | "warn" | "block" | "inconclusive";

/**
 * How a metric's per-datapoint values are compared:
 * - `value`: numbers (booleans as 0/1), trials averaged;
 * - `pass`: pass (1) or fail (0): a boolean range score by its threshold's `passWhen`, a
 *   rubric by its `passingCategories`; trials averaged; higher is better;
 * - `order`: a rubric's category rank in the definition's `categories` (worst first when
 *   `direction` is `higher`), trials averaged;
 * - `category`: a rubric with neither: only same / changed categories (the most frequent of
 *   a datapoint's trials), no direction, no test.
 */
export type CompareBy = "value" | "pass" | "order" | "category";

/** How a metric is to be compared (from its definition, or inferred). */
export interface MetricSpec {
  name: string;
  kind: ScoreKind;
  direction: MetricDirection;
  compareBy: CompareBy;
}

export interface CompareRunsOptions {
  /** The aggregate of each run's paired per-datapoint values shown as old/new; default `average`. */
  aggregate?: AggregateFunction;
  /** Score names to compare; default every score both runs have. */
  metrics?: string[];
  /** The largest tolerated significant drop of a metric's aggregate (its own units); default 0.01. */
  maxDrop?: number;
  /** Significance level; default 0.05. */
  alpha?: number;
  /** Seed of the permutation test and the bootstrap; default `DEFAULT_SEED`. */
  seed?: number;
  /** Also list the ids of datapoints only in one run (`newOnlyIds`, `oldOnlyIds`). Default false. */
  includeIds?: boolean;
  /** Longest id list returned (improved, degraded, newOnlyIds, oldOnlyIds); default 100. */
  idLimit?: number;
  /** Test of `value` metrics that are not 0/1: `permutation` (default) or `sign`. */
  continuousTest?: "permutation" | "sign";
}

/** One metric compared datapoint by datapoint. */
export interface MetricComparison {
  name: string;
  kind: ScoreKind;
  direction: MetricDirection;
  compareBy: CompareBy;
  aggregate: AggregateFunction;
  /** The aggregate over the paired datapoints of each run (`null` without pairs or for `category`). */
  oldAggregate: number | null;
  newAggregate: number | null;
  /** `newAggregate - oldAggregate` (not direction-adjusted). */
  delta: number | null;
  /** Datapoints paired: both runs have a non-NaN value. */
  foundCount: number;
  /** Common datapoints left out because a value is NaN (in either run). */
  nanCount: number;
  /** Common datapoints left out because a run lacks the metric there (or has a value it cannot rank). */
  missingCount: number;
  /** Paired datapoints that got better / worse (direction-aware) / stayed equal. */
  improvedCount: number;
  degradedCount: number;
  sameCount: number;
  /** `category` metrics only: paired datapoints whose category changed. */
  changedCount?: number;
  /** Their ids, in id order, at most `idLimit` each; the counts are complete. */
  improved: string[];
  degraded: string[];
  /** The paired test; `null` for `category` metrics. */
  test: TestResult | null;
  /** Confidence interval (level `1 - alpha`, 95% by default) of the mean paired delta `new - old`. */
  ci: ConfidenceInterval | null;
  /** Cohen's d of the paired deltas (d_z), signed like `new - old`. */
  effectSize: number | null;
  /** Whether the test found a change at `alpha`, and which way (direction-aware). */
  significant: boolean;
  change: "improved" | "degraded" | "none";
}

export interface CompareRunsResult {
  newRunId: string;
  oldRunId: string;
  /** Datapoint ids in both runs. */
  commonDatapoints: number;
  /** Datapoints in only one run; their ids with `includeIds`. */
  newOnly: number;
  oldOnly: number;
  newOnlyIds?: string[];
  oldOnlyIds?: string[];
  metrics: Record<string, MetricComparison>;
  /** Scores only one run has (not compared). */
  newOnlyMetrics: string[];
  oldOnlyMetrics: string[];
  /** Metrics that changed significantly (at `alpha`) for the better / the worse. */
  improvedMetrics: string[];
  degradedMetrics: string[];
  verdict: CompareVerdict;
  /** One line per finding behind the verdict. */
  reasons: string[];
  alpha: number;
  maxDrop: number;
  seed: number;
}

export interface CompareGroupsOptions {
  /** Metric names (`acc` or `metrics.acc`). */
  metrics: string[];
  /** Significance level; default 0.05. The interval's level is `1 - alpha`. */
  alpha?: number;
}

/** One metric over two groups of runs. */
export interface GroupMetricComparison {
  name: string;
  a: SampleSummary;
  b: SampleSummary;
  /** `mean(a) - mean(b)`. */
  delta: number | null;
  /** Welch's t-test (`name: "welch-t"`) with its degrees of freedom. */
  test: TestResult & { df: number | null };
  ci: ConfidenceInterval;
  significant: boolean;
}

export interface CompareGroupsResult {
  /** Runs matched by each filter. */
  runsA: number;
  runsB: number;
  alpha: number;
  metrics: Record<string, GroupMetricComparison>;
}
