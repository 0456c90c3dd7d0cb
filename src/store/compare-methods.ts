import type {
  CompareGroupsOptions,
  CompareGroupsResult,
  CompareRunsOptions,
  CompareRunsResult,
} from "../compare/types.js";
import type { QueryInput } from "../scores/types.js";

/**
 * Comparison of runs, computed inside the store: two runs datapoint by datapoint with
 * paired significance tests and a verdict a CI pipeline can gate on, and two groups of runs
 * with Welch's t-test.
 */
export interface CompareMethods {
  /**
   * Compares a new run with an old one over their common datapoints (`datapointId`).
   *
   * Each metric's trials are averaged per datapoint, then paired; pairs with a NaN value are
   * left out (`nanCount`), as are datapoints where a run lacks the score (`missingCount`).
   * Per metric: the `aggregate` (default `average`) of each run's paired values, their
   * `delta` (new - old), direction-aware `improvedCount` / `degradedCount` / `sameCount`
   * with id lists capped at `idLimit` (100), the paired `test` (McNemar's exact test for
   * 0/1 values and pass/fail (a boolean's `passWhen`, a rubric's `passingCategories`), the
   * sign test for rubric category ranks (`categories`, worst first), a seeded
   * permutation test for continuous values; normal approximations above 10,000 discordant
   * pairs / 10,000 non-zero deltas / 2,000 non-zero deltas), a seeded bootstrap `ci` (level `1 - alpha`)
   * of the mean paired delta (t interval above 5,000 pairs) and `effectSize` (Cohen's d_z).
   * Metrics: every score both runs have, or `metrics`; how each is compared comes from the
   * metric definitions of the new run's experiment (then the old one's); an undefined score
   * is `range` (higher is better) when numeric, `rubric` when it holds strings.
   *
   * Verdict: `block` when a metric degraded significantly (p < `alpha`, default 0.05) and its
   * aggregate dropped by more than `maxDrop` (default 0.01, the metric's units); `warn` when
   * one degraded significantly by less; `inconclusive` when nothing could be compared or a
   * metric has fewer than 10 paired datapoints; else `pass`.
   *
   * The same inputs and `seed` give the same result. Errors: `NOT_FOUND` for an unknown
   * run; `INVALID_ARGUMENT` for a bad option or a metric neither run has.
   *
   * @example
   * const r = await store.compareRuns(newRunId, oldRunId, { maxDrop: 0.02 });
   * if (r.verdict === "block") console.log(r.degradedMetrics, r.reasons);
   */
  compareRuns(newRunId: string, oldRunId: string, options?: CompareRunsOptions): Promise<CompareRunsResult>;

  /**
   * Compares two groups of runs (e.g. one config over 10 seeds against another), each chosen
   * by a run filter of the query language, on each metric's summary value: per metric the
   * means, standard deviations and counts of each group (NaN left out and counted),
   * `delta = mean(a) - mean(b)`, Welch's t-test (`welch-t`: statistic, df, two-sided p) and
   * its `1 - alpha` confidence interval of the delta. A run without the metric is left out of
   * that metric. Errors: `INVALID_ARGUMENT` for a bad filter or option.
   *
   * @example
   * const r = await store.compareGroups("params.model = 'a'", "params.model = 'b'", { metrics: ["acc"] });
   * console.log(r.metrics.acc?.delta, r.metrics.acc?.test.pValue);
   */
  compareGroups(
    filterA: QueryInput,
    filterB: QueryInput,
    options: CompareGroupsOptions,
  ): Promise<CompareGroupsResult>;
}
