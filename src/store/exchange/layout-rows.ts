import { rowPassed } from "../../query/records.js";
import type { Progress } from "../../results/progress.js";
import type { MetricThreshold } from "../../scores/definitions.js";
import type { Store } from "../types.js";
import { ColumnSpill } from "./column-spill.js";
import type { FilePlan } from "./layout-files.js";
import { keysOf } from "./layout-files.js";
import type { RunEntry } from "./layout-runs.js";
import { rowColumns } from "./row-columns.js";

/**
 * Reads the rows of the exported runs (in run order, then `datapoint_id, trial`) into a spill:
 * each row with its run's index columns (`experiment_id`, `sort_index`, `run_id`, the index
 * params), its own columns and `passed` (judged by the experiment's metric thresholds).
 */
export async function collectRows(
  store: Store,
  runs: readonly RunEntry[],
  options: {
    exportId: string;
    indexParams: readonly string[];
    thresholds: ReadonlyMap<string, MetricThreshold>;
    bar: Progress;
  },
): Promise<{ spill: ColumnSpill; rows: number }> {
  const spill = new ColumnSpill();
  for (const k of ["i:experiment_id", "i:sort_index", "i:run_id"]) spill.declare(k);
  for (const p of options.indexParams) spill.declare(`P:${p}`);
  for (const k of ["r:datapoint_id", "r:trial"]) spill.declare(k);
  let rows = 0;
  for (const run of runs) {
    for await (const row of store.iterateRowRecords(run.runId, { batchSize: 10_000 })) {
      const out: Record<string, unknown> = {
        "i:experiment_id": options.exportId,
        "i:sort_index": run.sortIndex,
        "i:run_id": run.runId,
      };
      for (const p of options.indexParams) out[`P:${p}`] = run.params[p];
      await spill.add(rowColumns(row, rowPassed(row.scores, options.thresholds), out));
      rows++;
    }
    options.bar.tick();
  }
  spill.declare("r:passed", "boolean");
  return { spill, rows };
}

/** The plan of `final/rows.pq`: run index, `datapoint_id`, `trial`; then item, output, scores, passed. */
export function rowsPlan(key: string, spill: ColumnSpill, indexParams: readonly string[]): FilePlan {
  return {
    key,
    index: [
      "i:experiment_id",
      "i:sort_index",
      "i:run_id",
      ...indexParams.map((p) => `P:${p}`),
      "r:datapoint_id",
      "r:trial",
    ],
    data: [...keysOf(spill.kinds, "x"), ...keysOf(spill.kinds, "o"), ...keysOf(spill.kinds, "s"), "r:passed"],
  };
}
