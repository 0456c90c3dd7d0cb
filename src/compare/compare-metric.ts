import type { AggregateFunction } from "../scores/types.js";
import { bootstrapMeanCi } from "../stats/bootstrap.js";
import { cohensDz } from "../stats/effect-size.js";
import { aggregateOf } from "./aggregate.js";
import { pairedTest } from "./choose-test.js";
import type { PairedValues } from "./pairing.js";
import type { MetricComparison, MetricSpec } from "./types.js";

export interface MetricCompareOptions {
  aggregate: AggregateFunction;
  alpha: number;
  seed: number;
  idLimit: number;
  continuousTest?: "permutation" | "sign";
}

/**
 * Deltas within this relative distance of zero count as "same" (trial averages of equal
 * values may differ in the last bits).
 */
const SAME_EPS = 1e-12;

/**
 * Compares one metric's paired values (`new - old` per datapoint): aggregates, direction-aware
 * improved / degraded / same counts with capped id lists, the paired test (see
 * {@link pairedTest}), a seeded bootstrap CI of the mean delta and Cohen's d_z. A change is
 * significant when the p-value is below `alpha`; its way is judged by the test's own measure
 * (improved vs degraded counts for McNemar and sign tests, the mean delta for the permutation
 * test), direction-aware. `category` metrics (values are category codes shared by both runs)
 * get `sameCount` and `changedCount` only: a changed category is neither better nor worse.
 *
 * @example
 * compareMetric(spec, pairValues(alignment, newVals, oldVals), alignment.commonIds, opts);
 */
export function compareMetric(
  spec: MetricSpec,
  paired: PairedValues,
  commonIds: readonly string[],
  options: MetricCompareOptions,
): MetricComparison {
  const { newValues, oldValues, at } = paired;
  const n = newValues.length;
  const sign = spec.direction === "lower" ? -1 : 1;
  const deltas = new Float64Array(n);
  const improved: string[] = [];
  const degraded: string[] = [];
  let improvedCount = 0;
  let degradedCount = 0;
  for (let i = 0; i < n; i++) {
    const x = newValues[i]!;
    const y = oldValues[i]!;
    const d = x - y;
    deltas[i] = d;
    if (x === y || Math.abs(d) <= SAME_EPS * Math.max(1, Math.abs(x), Math.abs(y))) continue;
    if (d * sign > 0) {
      if (improvedCount++ < options.idLimit) improved.push(commonIds[at[i]!]!);
    } else if (degradedCount++ < options.idLimit) degraded.push(commonIds[at[i]!]!);
  }
  const base = {
    name: spec.name,
    kind: spec.kind,
    direction: spec.direction,
    compareBy: spec.compareBy,
    aggregate: options.aggregate,
    foundCount: n,
    nanCount: paired.nanCount,
    missingCount: paired.missingCount,
    sameCount: n - improvedCount - degradedCount,
  };
  if (spec.compareBy === "category") {
    return {
      ...base,
      changedCount: improvedCount + degradedCount,
      oldAggregate: null,
      newAggregate: null,
      delta: null,
      improvedCount: 0,
      degradedCount: 0,
      improved: [],
      degraded: [],
      test: null,
      ci: null,
      effectSize: null,
      significant: false,
      change: "none",
    };
  }
  const oldAggregate = aggregateOf(oldValues, options.aggregate);
  const newAggregate = aggregateOf(newValues, options.aggregate);
  const test =
    n === 0
      ? { name: "none", statistic: null, pValue: null }
      : pairedTest(spec.compareBy, newValues, oldValues, {
          seed: options.seed,
          continuous: options.continuousTest,
        });
  const significant = test.pValue !== null && test.pValue < options.alpha;
  const byCounts = test.name.startsWith("mcnemar") || test.name.startsWith("sign");
  const way = byCounts ? improvedCount - degradedCount : sign * (test.statistic ?? 0);
  return {
    ...base,
    oldAggregate,
    newAggregate,
    delta: oldAggregate !== null && newAggregate !== null ? newAggregate - oldAggregate : null,
    improvedCount,
    degradedCount,
    improved,
    degraded,
    test,
    ci: bootstrapMeanCi(deltas, { seed: options.seed, level: 1 - options.alpha }),
    effectSize: cohensDz(deltas),
    significant,
    change: !significant || way === 0 ? "none" : way > 0 ? "improved" : "degraded",
  };
}
