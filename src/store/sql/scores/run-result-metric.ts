import type { MetricDefinition } from "../../../scores/definitions.js";
import { passes } from "../../../scores/pass-fail.js";
import type { AggregateFunction, RunResultMetric } from "../../../scores/types.js";
import { categoryDistribution, modeCategory } from "../../../stats/rubric.js";
import type { RowIndex } from "../rows/row-index.js";
import { type ScoreColumn, TAG_BOOLEAN, TAG_NULL, TAG_NUMBER, valueAt } from "../rows/score-chunk-codec.js";
import { scoreKind } from "./aggregate-scores.js";
import { applyAggregate, orNull, perOrdinal } from "./run-result-figures.js";
import { categoryCounts } from "./score-category-counts.js";
import { positionsIn } from "./score-samples.js";

export interface JudgedMetric {
  entry: RunResultMetric;
  /** Per datapoint: 1 when one of its rows failed the threshold (null without a threshold). */
  failed: Uint8Array | null;
  /** Per datapoint: the aggregate function over its trials' numeric values (NaN when none). */
  values: Float64Array | null;
}

/**
 * One metric of a run result: its rows judged against the threshold, its aggregate over
 * every row, its mode (rubric), and its value per datapoint.
 */
export function judgeMetric(
  def: MetricDefinition | undefined,
  col: ScoreColumn | undefined,
  index: RowIndex,
  fn: AggregateFunction,
): JudgedMetric {
  const kind = scoreKind(def, col);
  const entry: RunResultMetric = { kind, aggregate: null, count: 0, passed: 0, failed: 0 };
  if (!col) {
    if (kind === "rubric") entry.modeCategory = null;
    return { entry, failed: null, values: null };
  }
  const D = index.datapoints;
  const pos = positionsIn(col, index);
  const ordinals = new Int32Array(col.count);
  const numbers = new Float64Array(col.count);
  let n = 0;
  const threshold = def?.threshold ?? null;
  const failed = threshold ? new Uint8Array(D) : null;
  for (let i = 0; i < col.count; i++) {
    const p = pos[i]!;
    const tag = col.tags[i]!;
    if (p < 0 || tag === TAG_NULL) continue;
    entry.count++;
    const d = index.datapoint[p]!;
    if (tag === TAG_NUMBER || tag === TAG_BOOLEAN) {
      ordinals[n] = d;
      numbers[n++] = col.nums[i]!;
    }
    if (threshold) {
      const ok = passes(threshold, valueAt(col, i));
      if (ok === true) entry.passed++;
      else if (ok === false) {
        entry.failed++;
        failed![d] = 1;
      }
    }
  }
  const values = numbers.subarray(0, n);
  if (kind === "range") entry.aggregate = orNull(applyAggregate(fn, values));
  else {
    const [counts] = categoryCounts(col, index, false);
    entry.modeCategory = modeCategory(categoryDistribution(counts!, def?.categories ?? []));
  }
  return { entry, failed, values: perOrdinal(fn, ordinals.subarray(0, n), values, D) };
}
