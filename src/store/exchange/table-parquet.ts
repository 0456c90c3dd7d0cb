import type { TableRow } from "../../results/types.js";
import { fileSink } from "./byte-sink.js";
import { ColumnSpill } from "./column-spill.js";
import { pandasMetadata } from "./pandas-metadata.js";
import { ParquetFileWriter } from "./parquet-writer.js";

const TIMES = new Set(["started_at", "finished_at"]);

/**
 * Writes table rows (every row with the same keys, as `results.table()` makes them) to a Parquet
 * file: columns typed over their values, `started_at`/`finished_at` as UTC timestamps.
 *
 * @example
 * await writeTableParquet("./runs.parquet", results.table(), Object.keys(results.table()[0] ?? {}));
 */
export async function writeTableParquet(
  path: string,
  rows: readonly TableRow[],
  names: readonly string[],
): Promise<void> {
  const spill = new ColumnSpill();
  try {
    for (const n of names) spill.declare(n);
    for (const row of rows) {
      const out: Record<string, unknown> = {};
      for (const n of names) {
        const v = row[n];
        out[n] = TIMES.has(n) && typeof v === "string" ? new Date(v) : v;
      }
      await spill.add(out);
    }
    await writeSpillParquet(path, spill, names);
  } finally {
    spill.dispose();
  }
}

/**
 * Writes the columns `names` of a spill to a Parquet file (typed as the spill found them, no
 * index columns), whole or not at all.
 *
 * @example
 * await writeSpillParquet("./runs.parquet", spill, ["run_id", "metric_acc"]);
 */
export async function writeSpillParquet(
  path: string,
  spill: ColumnSpill,
  names: readonly string[],
): Promise<void> {
  const columns = names.map((name) => ({ name, kind: spill.kinds.get(name) ?? "null" }));
  const file = new ParquetFileWriter(await fileSink(path), columns, {
    pandas: pandasMetadata(columns, []),
  });
  try {
    for await (const chunk of spill.chunks()) await file.writeChunk(chunk);
    await file.close();
  } catch (e) {
    await file.abort();
    throw e;
  }
}
