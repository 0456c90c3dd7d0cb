import type { MergeOptions, MergeReport } from "../execution-methods.js";
import type { Store } from "../types.js";
import { copyExecutions, type ExecutionCopyCounts } from "./copy-executions.js";
import { copyRun } from "./copy-run.js";

const PAGE = 500;

function emptyReport(): MergeReport {
  return {
    experiments: 0,
    runs: 0,
    runsReplaced: 0,
    runsSkipped: 0,
    rows: 0,
    seriesPoints: 0,
    artifacts: 0,
    data: 0,
    derived: 0,
    metricDefinitions: 0,
    executions: 0,
    executionObjects: 0,
    savedObjects: 0,
  };
}

async function copyExperiments(target: Store, source: Store, report: MergeReport): Promise<string[]> {
  const have = new Set((await target.listExperiments()).map((e) => e.experimentId));
  const theirs = await source.listExperiments();
  for (const e of theirs) {
    if (have.has(e.experimentId)) continue;
    await target.ensureExperiment({
      name: e.name,
      version: e.version,
      ...(e.description === null ? {} : { description: e.description }),
      metadata: e.metadata,
      tags: e.tags,
    });
    report.experiments++;
  }
  for (const e of theirs) {
    const mine = new Set((await target.getMetricDefinitions(e.experimentId)).map((d) => d.name));
    for (const d of await source.getMetricDefinitions(e.experimentId)) {
      if (mine.has(d.name)) continue;
      await target.defineMetric(e.experimentId, {
        name: d.name,
        kind: d.kind,
        direction: d.direction,
        ...(d.threshold ? { threshold: d.threshold } : {}),
        ...(d.categories ? { categories: d.categories } : {}),
      });
      report.metricDefinitions++;
    }
  }
  return [...new Set(theirs.map((e) => e.name))];
}

/**
 * Copies into `target` everything of `source` it lacks; see {@link ExecutionMethods.merge}.
 * Experiments first, then executions (so that runs point at their execution's id here),
 * then runs page by page.
 *
 * @example
 * const report = await mergeStores(await openStore("./labbook"), await openStore("./node7/labbook"));
 */
export async function mergeStores(
  target: Store,
  source: Store,
  options: MergeOptions = {},
): Promise<MergeReport> {
  const report = emptyReport();
  const total = options.progress
    ? (await source.searchRuns({ pageSize: 1, fields: [] })).pagination.totalResults
    : 0;
  let done = 0;
  const names = await copyExperiments(target, source, report);
  const ex: ExecutionCopyCounts = { executions: 0, executionObjects: 0, savedObjects: 0, ids: new Map() };
  for (const name of names) await copyExecutions(target, source, name, ex);
  report.executions = ex.executions;
  report.executionObjects = ex.executionObjects;
  report.savedObjects = ex.savedObjects;
  for (let offset = 0; ; offset += PAGE) {
    const page = await source.listRuns({ limit: PAGE, offset });
    const statuses = await target.runStatuses(page.map((r) => r.runId));
    for (const rec of page) {
      const here = statuses[rec.runId];
      const replace = here !== undefined && here !== "success" && rec.status === "success";
      if (here !== undefined && !replace) {
        report.runsSkipped++;
        options.progress?.(++done, total);
        continue;
      }
      const executionId =
        rec.executionId === null
          ? null
          : (ex.ids.get(`${rec.experimentName}\u0000${rec.executionId}`) ?? rec.executionId);
      const c = await copyRun(target, source, rec, { replace, executionId });
      if (replace) report.runsReplaced++;
      else report.runs++;
      report.rows += c.rows;
      report.seriesPoints += c.seriesPoints;
      report.artifacts += c.artifacts;
      report.data += c.data;
      report.derived += c.derived;
      options.progress?.(++done, total);
    }
    if (page.length < PAGE) break;
  }
  return report;
}
