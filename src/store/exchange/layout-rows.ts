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
import { putRowColumns } from "./row-columns.js";
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
      const put = (k: string, v: unknown) => spill.set(k, v);
      for (const run of runs) {
        for await (const row of store.iterateRowRecords(run.runId, { batchSize: 10_000 })) {
          spill.set("i:experiment_id", options.exportId);
          spill.set("i:sort_index", run.sortIndex);
          spill.set("i:run_id", run.runId);
          for (const p of params) spill.set(`P:${p}`, run.params[p]);
          putRowColumns(row, rowPassed(row.scores, options.thresholds), put);
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
