import type { RowRecord } from "../../core/types.js";
import { rowPassed } from "../../query/records.js";
import { rowScoreLine } from "../../scores/row-scores-jsonl.js";
import type { SearchFilter } from "../search-methods.js";
import type { Store } from "../types.js";
import { fileSink } from "./byte-sink.js";
import { ColumnSpill } from "./column-spill.js";
import { keysOf, planColumns } from "./layout-files.js";
import { pandasMetadata } from "./pandas-metadata.js";
import { ParquetFileWriter } from "./parquet-writer.js";
import { countProgress } from "./progress.js";
import { ROW_BATCH, RowColumns } from "./row-columns.js";
import { writeStreamed } from "./streamed-table.js";

/** Options of {@link exportRowsFile}. */
export interface RowsFileOptions {
  format: "parquet" | "jsonl";
  /** Only rows matching this row query (either syntax). */
  filter?: SearchFilter;
  progress?: boolean;
}

/** A run's rows with `passed`, in `datapoint_id, trial` order (through a search when filtered). */
async function* rowsOf(
  store: Store,
  runId: string,
  filter: SearchFilter | undefined,
): AsyncGenerator<{ row: RowRecord; passed: boolean }> {
  if (filter !== undefined) {
    let cursor: string | undefined;
    do {
      const page = await store.searchRows(runId, { filter, pageSize: 1000, ...(cursor ? { cursor } : {}) });
      for (const r of page.data) yield { row: r, passed: r.passed };
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return;
  }
  const run = await store.getRun(runId);
  const defs = await store.getMetricDefinitions(run.experimentId);
  const thresholds = new Map(defs.flatMap((d) => (d.threshold ? [[d.name, d.threshold] as const] : [])));
  for await (const row of store.iterateRowRecords(runId, { batchSize: ROW_BATCH })) {
    yield { row, passed: rowPassed(row.scores, thresholds) };
  }
}

/**
 * Writes a run's rows (those matching `filter`, when given) to one file: `parquet` with
 * columns `datapoint_id, trial` (the pandas index), `item.<path>`, `output`, `scores.<name>`,
 * `passed`; or `jsonl` in the NVIDIA evaluator's row shape (`rowScoreLine`). Streams: memory
 * holds one chunk of rows. Returns the number of rows. `NOT_FOUND` for an unknown run.
 *
 * @example
 * await exportRowsFile(store, runId, "./rows.parquet", { format: "parquet", filter: "not passed" });
 */
export async function exportRowsFile(
  store: Store,
  runId: string,
  path: string,
  options: RowsFileOptions,
): Promise<number> {
  const bar = countProgress("export rows", null, Boolean(options.progress));
  try {
    if (options.format === "jsonl") {
      const sink = await fileSink(path);
      let n = 0;
      try {
        let text = "";
        for await (const { row } of rowsOf(store, runId, options.filter)) {
          text += rowScoreLine(row);
          n++;
          if (text.length > 1 << 20) {
            await sink.write(Buffer.from(text));
            bar.tick(n);
            text = "";
          }
        }
        await sink.write(Buffer.from(text));
        await sink.close();
      } catch (e) {
        await sink.abort();
        throw e;
      }
      return n;
    }
    const makeSpill = () => {
      const spill = new ColumnSpill({ doubles: ["s:"] });
      for (const k of ["r:datapoint_id", "r:trial"]) spill.declare(k);
      spill.declare("r:passed", "boolean");
      return spill;
    };
    return await writeStreamed(
      makeSpill,
      async (spill) => {
        const cols = new RowColumns(spill);
        for await (const { row, passed } of rowsOf(store, runId, options.filter)) {
          cols.put(row, passed);
          await spill.endRow();
          if (spill.rows % 10_000 === 0) bar.tick(10_000);
        }
      },
      async (spill) => {
        const kinds = spill.kinds;
        const plan = {
          key: path,
          index: ["r:datapoint_id", "r:trial"],
          data: [...keysOf(kinds, "x"), ...keysOf(kinds, "o"), ...keysOf(kinds, "s"), "r:passed"],
        };
        const { columns, index } = planColumns(plan, kinds);
        return new ParquetFileWriter(await fileSink(path), columns, {
          pandas: pandasMetadata(columns, index),
        });
      },
    );
  } finally {
    bar.done();
  }
}
