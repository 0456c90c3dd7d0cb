import { rowPassed } from "../../query/records.js";
import type { Progress } from "../../results/progress.js";
import type { MetricThreshold } from "../../scores/definitions.js";
import type { Store } from "../types.js";
import { ColumnSpill } from "./column-spill.js";
import type { ExportTarget } from "./export-target.js";
import { keysOf, planColumns } from "./layout-files.js";
import type { RunEntry } from "./layout-runs.js";
import { pandasMetadata } from "./pandas-metadata.js";
import { ParquetFileWriter } from "./parquet-writer.js";
import { ROW_BATCH, RowColumns } from "./row-columns.js";
import { writeStreamed } from "./streamed-table.js";

/**
 * Writes `final/rows.pq`: the rows of the exported runs (in run order, then `datapoint_id,
 * trial`), each with its run's index columns (`experiment_id`, `sort_index`, `run_id`, the index
 * params) then `datapoint_id`, `trial` (the pandas index), `item.<path>`, `output`,
 * `scores.<name>` (numbers as float64) and `passed` (by the experiment's metric thresholds).
 * Streamed (see `writeStreamed`). Returns the number of rows.
 */
export async function writeRowsFile(
  store: Store,
  target: ExportTarget,
  key: string,
  runs: readonly RunEntry[],
  options: {
    exportId: string;
    indexParams: readonly string[];
    thresholds: ReadonlyMap<string, MetricThreshold>;
    bar: Progress;
  },
): Promise<number> {
  const params = options.indexParams;
  const makeSpill = () => {
    const spill = new ColumnSpill({ doubles: ["s:"] });
    for (const k of ["i:experiment_id", "i:sort_index", "i:run_id"]) spill.declare(k);
    for (const p of params) spill.declare(`P:${p}`);
    for (const k of ["r:datapoint_id", "r:trial"]) spill.declare(k);
    spill.declare("r:passed", "boolean");
    return spill;
  };
  return writeStreamed(
    makeSpill,
    async (spill) => {
      const cols = new RowColumns(spill);
      const index = [
        spill.column("i:experiment_id"),
        spill.column("i:sort_index"),
        spill.column("i:run_id"),
        ...params.map((p) => spill.column(`P:${p}`)),
      ];
      // Runs without rows are skipped after one count per page of runs.
      const counts: Record<string, number> = {};
      for (let i = 0; i < runs.length; i += 500) {
        Object.assign(counts, await store.countRowsOfRuns(runs.slice(i, i + 500).map((r) => r.runId)));
      }
      for (const run of runs) {
        if (!counts[run.runId]) {
          options.bar.tick();
          continue;
        }
        for await (const row of store.iterateRowRecords(run.runId, { batchSize: ROW_BATCH })) {
          spill.put(index[0]!, options.exportId);
          spill.put(index[1]!, run.sortIndex);
          spill.put(index[2]!, run.runId);
          for (let j = 0; j < params.length; j++) spill.put(index[3 + j]!, run.params[params[j]!]);
          cols.put(row, rowPassed(row.scores, options.thresholds));
          await spill.endRow();
        }
        options.bar.tick();
      }
    },
    async (spill) => {
      const kinds = spill.kinds;
      const plan = {
        key,
        index: [
          "i:experiment_id",
          "i:sort_index",
          "i:run_id",
          ...params.map((p) => `P:${p}`),
          "r:datapoint_id",
          "r:trial",
        ],
        data: [...keysOf(kinds, "x"), ...keysOf(kinds, "o"), ...keysOf(kinds, "s"), "r:passed"],
      };
      const { columns, index } = planColumns(plan, kinds);
      return new ParquetFileWriter(await target.sink(key), columns, {
        pandas: pandasMetadata(columns, index),
      });
    },
  );
}
