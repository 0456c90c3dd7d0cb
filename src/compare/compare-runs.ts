import { compareMetric } from "./compare-metric.js";
import type { CheckedCompareOptions } from "./options.js";
import { alignDatapoints, type DatapointValues, pairValues } from "./pairing.js";
import type { CompareRunsResult, MetricComparison, MetricSpec } from "./types.js";
import { verdictOf } from "./verdict.js";

/** One run's side of a comparison: its datapoint ids and each metric's value per datapoint. */
export interface RunSideData {
  runId: string;
  /** Datapoint ids, without repeats (the index of `DatapointValues`). */
  datapointIds: readonly string[];
  metrics: ReadonlyMap<string, DatapointValues>;
}

/**
 * Compares two runs from their per-datapoint values (trials already averaged): pairs the
 * datapoints, compares each metric of `specs` (see `compareMetric`) and gives the verdict
 * (see `verdictOf`). The store's `compareRuns` reads the values and calls this.
 *
 * @example
 * compareRunData(newSide, oldSide, [{ name: "acc", kind: "range", direction: "higher", compareBy: "value" }],
 *   checkCompareOptions({}), { newOnlyMetrics: [], oldOnlyMetrics: [] });
 */
export function compareRunData(
  newSide: RunSideData,
  oldSide: RunSideData,
  specs: readonly MetricSpec[],
  options: CheckedCompareOptions,
  extra: { newOnlyMetrics: string[]; oldOnlyMetrics: string[] },
): CompareRunsResult {
  const a = alignDatapoints(newSide.datapointIds, oldSide.datapointIds);
  const metrics: Record<string, MetricComparison> = {};
  for (const spec of specs) {
    const paired = pairValues(
      a,
      newSide.metrics.get(spec.name) ?? absent(newSide.datapointIds.length),
      oldSide.metrics.get(spec.name) ?? absent(oldSide.datapointIds.length),
    );
    metrics[spec.name] = compareMetric(spec, paired, a.commonIds, {
      aggregate: options.aggregate,
      alpha: options.alpha,
      seed: options.seed,
      idLimit: options.idLimit,
      continuousTest: options.continuousTest,
    });
  }
  const verdict = verdictOf(Object.values(metrics), options);
  const ids = (side: RunSideData, ordinals: number[]) =>
    ordinals.slice(0, options.idLimit).map((k) => side.datapointIds[k]!);
  return {
    newRunId: newSide.runId,
    oldRunId: oldSide.runId,
    commonDatapoints: a.commonIds.length,
    newOnly: a.newOnly.length,
    oldOnly: a.oldOnly.length,
    ...(options.includeIds
      ? { newOnlyIds: ids(newSide, a.newOnly), oldOnlyIds: ids(oldSide, a.oldOnly) }
      : {}),
    metrics,
    newOnlyMetrics: extra.newOnlyMetrics,
    oldOnlyMetrics: extra.oldOnlyMetrics,
    improvedMetrics: verdict.improvedMetrics,
    degradedMetrics: verdict.degradedMetrics,
    verdict: verdict.verdict,
    reasons: verdict.reasons,
    alpha: options.alpha,
    maxDrop: options.maxDrop,
    seed: options.seed,
  };
}

/** A metric a run does not have: no datapoint present. */
function absent(n: number): DatapointValues {
  return { values: new Float64Array(n).fill(Number.NaN), present: new Uint8Array(n) };
}
