import type { MetricDefinition, MetricDefinitionInput } from "../scores/definitions.js";
import type { NemoAggregateScoresResult } from "../scores/nemo-compat.js";
import type {
  AggregateRunsOptions,
  AggregateRunsResult,
  AggregateScoresOptions,
  AggregateScoresResult,
  CompositeDefinition,
  CompositeDefinitionInput,
  RunResult,
  RunResultOptions,
} from "../scores/types.js";

/**
 * Scores and aggregates: metric and composite definitions, aggregates of a run's row scores
 * and of metrics over runs, run results with pass/fail, and row scores as JSONL. Every
 * aggregate is computed inside the store (the embedded store reads a columnar copy of the
 * scores), never by shipping every row to the caller.
 *
 * Errors are {@link LabbookError}s: `INVALID_ARGUMENT` names the option, the rule and the
 * value received; `NOT_FOUND` for an unknown run, experiment or score.
 */
export interface ScoresMethods {
  /**
   * Creates or replaces the definition of a score of an experiment version (`name` is the
   * latest version): its kind, direction (default `higher`), pass threshold and rubric
   * categories. A score without a definition is `range` when numeric or boolean (0/1) and
   * `rubric` when it holds strings. Errors: `INVALID_ARGUMENT` naming the field (a `min`
   * above `max`, `passingCategories` on a range metric...), `NOT_FOUND` for an unknown experiment.
   *
   * @example
   * await store.defineMetric("qa", { name: "correct", kind: "range", threshold: { passWhen: true } });
   */
  defineMetric(experiment: string, definition: MetricDefinitionInput): Promise<MetricDefinition>;
  /** The metric definitions of an experiment version, by name. `NOT_FOUND` for an unknown experiment. */
  getMetricDefinitions(experiment: string): Promise<MetricDefinition[]>;

  /**
   * Creates or replaces a composite metric of an experiment version: an arithmetic expression
   * over `scores.<name>` (a row score, per datapoint) and `metrics.<name>` (the run's summary
   * metric) with `+ - * /`, unary minus, parentheses, numbers, `min(...)`, `max(...)`,
   * `abs(...)`; `scores["any name"]` for names with other characters. Parsed by labbook (never
   * evaluated as code). Division by zero gives NaN. Errors: `INVALID_ARGUMENT` for a syntax
   * error (with its 1-based `details.position`), an unknown function or namespace, or a score
   * or metric that no metric definition and no run of the experiment version has;
   * `NOT_FOUND` for an unknown experiment.
   *
   * @example
   * await store.defineComposite("qa", { name: "overall", expression: "0.7 * scores.correct + 0.3 * scores.fluency" });
   */
  defineComposite(experiment: string, composite: CompositeDefinitionInput): Promise<CompositeDefinition>;
  /** The composite metrics of an experiment version, by name. `NOT_FOUND` for an unknown experiment. */
  getCompositeDefinitions(experiment: string): Promise<CompositeDefinition[]>;

  /**
   * The figures of a run's row scores. For a `range` score: `name, scoreType, count, nanCount,
   * sum, mean, min, max, variance, stdDev, ddof` (population, ddof 0), `percentiles` (keys `p50`...,
   * default p1 p5 p10 p25 p50 p75 p90 p95 p99, numpy's linear interpolation) and `histogram`
   * (`edges`, `counts`; default 20 equal bins over the finite values, the last bin closed).
   * For a `rubric` score: `name, scoreType, count, nanCount, distribution` (defined categories
   * first in their order, then the others in natural order) and `modeCategory` (ties: the
   * first in that order). `count` excludes NaN (`mean * count = sum`); `nanCount` counts the
   * rows without a value (NaN, null, or no such score). With `compat: "nemo"` the result is the
   * NVIDIA evaluator's figure set in its field names ({@link NemoAggregateScoresResult}). Every trial counts, unless
   * `byDatapoint` averages each datapoint's trials first. `filter` keeps matching rows; with
   * `groupBy` (row fields: `datapoint_id`, `trial`, `item.<path>`, `output.<path>`,
   * `scores.<name>`) `groups` holds the figures per key, in key order; `fields` returns only
   * the named figures. `NOT_FOUND` for an unknown run or a score it lacks (and no definition names).
   *
   * @example
   * const { scores } = await store.aggregateScores(runId, { scores: ["bleu"], percentiles: [50, 95] });
   */
  aggregateScores(
    runId: string,
    options: AggregateScoresOptions & { compat: "nemo" },
  ): Promise<NemoAggregateScoresResult>;
  aggregateScores(runId: string, options?: AggregateScoresOptions): Promise<AggregateScoresResult>;

  /**
   * The figures of run metrics (their summary values) over runs (optionally of one
   * `experiment`, `name` or `name:version`, and matching `filter`), grouped by run fields
   * (`params.<path>`, `tags.<key>`, `derived.<name>`, `status`, `experiment`, `version`,
   * `name`, `run_id`). Groups are in key order (numbers, then strings in natural order, then
   * booleans, then missing values); each has its run count and, per metric, the figures of
   * the runs that have it (default every figure but the histogram).
   *
   * @example
   * await store.aggregateRuns({ experiment: "sweep", metrics: ["acc"], groupBy: ["params.lr", "params.model"] });
   */
  aggregateRuns(options: AggregateRunsOptions): Promise<AggregateRunsResult>;

  /**
   * A run's result in HoneyHive's shape: `{ runId, success, passed, failed, passRate, metrics:
   * { <name>: { aggregate, count, passed, failed } }, composites: { <name>: number }, datapoints }`.
   * Each row is judged against its metrics' thresholds (`min`, `max`, `passWhen`,
   * `passingCategories`; a null value is not judged); a datapoint passes when none of its rows
   * fails; `failedMetrics` names the metrics that failed it. `aggregate` (`average` default,
   * `sum`, `min`, `max`, `median`) is applied to each metric's values, to each datapoint's
   * trials, and to composites over datapoints. `success` means the run ended with status
   * `success` and every datapoint passed. `datapoints` is one page (`page`, `pageSize` up to
   * 1000, `datapoints: "passed" | "failed"` to keep one side). `NOT_FOUND` for an unknown run.
   *
   * @example
   * const r = await store.runResult(runId, { aggregate: "median", datapoints: "failed" });
   */
  runResult(runId: string, options?: RunResultOptions): Promise<RunResult>;

  /**
   * A run's rows as JSONL lines (each ending in `\n`), in `datapointId, trial` order, in the
   * NVIDIA evaluator's row shape (`scores/row-scores-jsonl.ts`). Streamed in pages; `NOT_FOUND`
   * (on first iteration) for an unknown run.
   */
  rowScores(runId: string): AsyncIterable<string>;
  /**
   * Writes JSONL row scores (text or byte chunks, split on `\n`) into a running run, all in one
   * transaction after every line was checked: a bad line fails the call with `INVALID_ARGUMENT`
   * naming its line number, and nothing is written. Rows replace stored rows of the same
   * `datapointId` and `trial`. `FAILED_PRECONDITION` when the run has ended; `NOT_FOUND` when
   * it is unknown or not written yet (a handle writes its run with its first write or
   * `flush()`; `run.logRows(await readRowScores(stream))` imports through a handle).
   */
  importRowScores(
    runId: string,
    stream: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  ): Promise<{ rows: number }>;
}
