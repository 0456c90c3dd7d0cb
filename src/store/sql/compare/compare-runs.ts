import { compareRunData, type RunSideData } from "../../../compare/compare-runs.js";
import { checkCompareOptions } from "../../../compare/options.js";
import type { DatapointValues } from "../../../compare/pairing.js";
import type { CompareRunsOptions, CompareRunsResult, MetricSpec } from "../../../compare/types.js";
import { invalid } from "../../../core/errors.js";
import type { MetricDefinition } from "../../../scores/definitions.js";
import type { SqlContext } from "../context.js";
import { readRowIndex } from "../rows/row-index.js";
import { readScoreColumns, scoreNames } from "../rows/score-columns-read.js";
import { metricDefinitionsOf, runWithExperiment } from "../scores/metric-defs.js";
import { datapointValues, specOf } from "./run-values.js";

type RunInfo = Awaited<ReturnType<typeof runWithExperiment>>;

/**
 * Compares two runs datapoint by datapoint; see `Store.compareRuns`. Reads each run's row
 * index and score columns (no JSON row is decoded), averages trials per datapoint, and hands
 * the values to `compareRunData`. Definitions come from the new run's experiment, then the
 * old run's.
 *
 * @example
 * const r = await compareRuns(store.ctx, newRunId, oldRunId, { alpha: 0.01 });
 */
export async function compareRuns(
  ctx: SqlContext,
  newRunId: string,
  oldRunId: string,
  options: CompareRunsOptions = {},
): Promise<CompareRunsResult> {
  const opts = checkCompareOptions(options);
  const [newRun, oldRun] = [await runWithExperiment(ctx, newRunId), await runWithExperiment(ctx, oldRunId)];
  const defs = new Map<string, MetricDefinition>();
  for (const run of [oldRun, newRun]) {
    for (const d of await metricDefinitionsOf(ctx, run.experimentName, run.experimentVersion))
      defs.set(d.name, d);
  }
  const newNames = await scoreNames(ctx, newRun.id);
  const oldNames = await scoreNames(ctx, oldRun.id);
  const inBoth = newNames.filter((n) => oldNames.includes(n));
  for (const m of opts.metrics ?? []) {
    if (!newNames.includes(m) && !oldNames.includes(m)) {
      throw invalid(
        "metrics",
        `must name scores of the runs (${[...new Set([...newNames, ...oldNames])].join(", ")})`,
        m,
      );
    }
  }
  const names = opts.metrics ?? inBoth;
  const codes = new Map<string, number>();
  const newSide = await readSide(ctx, newRunId, newRun, names);
  const oldSide = await readSide(ctx, oldRunId, oldRun, names);
  const specs: MetricSpec[] = names.map((n) =>
    specOf(n, defs.get(n), newSide.columns.get(n) ?? oldSide.columns.get(n)),
  );
  const side = (s: Awaited<ReturnType<typeof readSide>>): RunSideData => {
    const metrics = new Map<string, DatapointValues>();
    for (const spec of specs) {
      const col = s.columns.get(spec.name);
      if (col) metrics.set(spec.name, datapointValues(spec, defs.get(spec.name), col, s.index, codes));
    }
    return { runId: s.runId, datapointIds: s.index.datapointIds, metrics };
  };
  return compareRunData(side(newSide), side(oldSide), specs, opts, {
    newOnlyMetrics: opts.metrics ? [] : newNames.filter((n) => !oldNames.includes(n)),
    oldOnlyMetrics: opts.metrics ? [] : oldNames.filter((n) => !newNames.includes(n)),
  });
}

async function readSide(ctx: SqlContext, runId: string, run: RunInfo, names: string[]) {
  const index = await readRowIndex(ctx, run.id);
  const columns = names.length > 0 ? await readScoreColumns(ctx, run.id, { names, rowPks: true }) : new Map();
  return { runId, index, columns };
}
