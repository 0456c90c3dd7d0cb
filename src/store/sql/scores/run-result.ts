import { setOwn } from "../../../core/codec.js";
import { invalid } from "../../../core/errors.js";
import { checkKeys } from "../../../core/known-keys.js";
import type { RunStatus } from "../../../core/types.js";
import { checkAggregateFunction, RUN_RESULT_KEYS } from "../../../scores/check-options.js";
import type { DatapointResult, RunResult, RunResultMetric, RunResultOptions } from "../../../scores/types.js";
import type { SqlContext } from "../context.js";
import { readRowIndex } from "../rows/row-index.js";
import { readScoreColumns } from "../rows/score-columns-read.js";
import { compositesOf } from "./composite-defs.js";
import { metricDefinitionsOf, runWithExperiment } from "./metric-defs.js";
import { evaluateComposites } from "./run-result-composites.js";
import { orNull } from "./run-result-figures.js";
import { judgeMetric } from "./run-result-metric.js";

function checkOptions(o: RunResultOptions) {
  if (o === null || typeof o !== "object" || Array.isArray(o))
    throw invalid("options", "must be an object", o);
  checkKeys(o, RUN_RESULT_KEYS, "runResult");
  const page = o.page ?? 1;
  if (!Number.isInteger(page) || page < 1) throw invalid("page", "must be a whole number >= 1", page);
  const pageSize = o.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw invalid("pageSize", "must be a whole number from 1 to 1000", pageSize);
  }
  const which = o.datapoints ?? "all";
  if (!["all", "passed", "failed"].includes(which)) {
    throw invalid("datapoints", 'must be "all", "passed" or "failed"', which);
  }
  return { aggregate: checkAggregateFunction(o.aggregate), page, pageSize, which };
}

/**
 * A run's result in HoneyHive's shape; see {@link ScoresMethods.runResult}. Every row is
 * judged against its metrics' thresholds; a datapoint passes when none of its rows fails one.
 */
export async function runResult(
  ctx: SqlContext,
  runId: string,
  options: RunResultOptions = {},
): Promise<RunResult> {
  const o = checkOptions(options);
  const run = await runWithExperiment(ctx, runId);
  const [defList, composites, index, cols] = await Promise.all([
    metricDefinitionsOf(ctx, run.experimentName, run.experimentVersion),
    compositesOf(ctx, run.experimentName, run.experimentVersion),
    readRowIndex(ctx, run.id),
    readScoreColumns(ctx, run.id, { rowPks: true }),
  ]);
  const defs = new Map(defList.map((d) => [d.name, d]));
  const names = [...new Set([...cols.keys(), ...defs.keys()])].sort();
  const D = index.datapoints;
  const failedAny = new Uint8Array(D);
  const failedBy = new Map<string, Uint8Array>();
  const perDatapoint = new Map<string, Float64Array>();
  const rangeNames: string[] = [];
  const metrics: Record<string, RunResultMetric> = {};
  for (const name of names) {
    const judged = judgeMetric(defs.get(name), cols.get(name), index, o.aggregate);
    setOwn(metrics, name, judged.entry);
    if (judged.values) perDatapoint.set(name, judged.values);
    if (judged.values && judged.entry.kind === "range") rangeNames.push(name);
    if (judged.failed) {
      failedBy.set(name, judged.failed);
      for (let d = 0; d < D; d++) failedAny[d]! |= judged.failed[d]!;
    }
  }
  const comp = await evaluateComposites(ctx, run.id, composites, perDatapoint, D, o.aggregate);
  let failed = 0;
  for (let d = 0; d < D; d++) failed += failedAny[d]!;
  const passed = D - failed;
  // The datapoints of the requested side, then only the page's records are built.
  const chosen: number[] = [];
  for (let d = 0; d < D; d++)
    if (o.which === "all" || (failedAny[d] === 0) === (o.which === "passed")) chosen.push(d);
  const start = (o.page - 1) * o.pageSize;
  const trials = new Int32Array(D);
  for (let i = 0; i < index.datapoint.length; i++) trials[index.datapoint[i]!]!++;
  const data: DatapointResult[] = chosen.slice(start, start + o.pageSize).map((d) => {
    const values: Record<string, number | null> = {};
    for (const name of rangeNames) setOwn(values, name, orNull(perDatapoint.get(name)![d]!));
    for (const [name, v] of comp.perDatapoint) setOwn(values, name, orNull(v[d]!));
    const failedMetrics = [...failedBy].filter(([, f]) => f[d] === 1).map(([name]) => name);
    return {
      datapointId: index.datapointIds[d]!,
      trials: trials[d]!,
      passed: failedAny[d] === 0,
      failedMetrics,
      values,
    };
  });
  return {
    runId,
    status: run.status as RunStatus,
    success: run.status === "success" && failed === 0,
    passed,
    failed,
    passRate: D === 0 ? null : passed / D,
    aggregate: o.aggregate,
    metrics,
    composites: comp.aggregates,
    datapoints: {
      data,
      pagination: {
        page: o.page,
        pageSize: o.pageSize,
        totalPages: Math.ceil(chosen.length / o.pageSize),
        totalResults: chosen.length,
      },
    },
  };
}
