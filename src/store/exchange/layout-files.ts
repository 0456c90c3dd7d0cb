import type { ColumnKind } from "./column-kind.js";
import type { ColumnSpill } from "./column-spill.js";
import type { ExportTarget } from "./export-target.js";
import { columnNames } from "./layout-paths.js";
import { pandasMetadata } from "./pandas-metadata.js";
import type { EncodedColumn } from "./parquet-column.js";
import { type ParquetColumn, ParquetFileWriter } from "./parquet-writer.js";

/** One Parquet file of an export: its key, its index columns and data columns (chunk keys `ns:name`). */
export interface FilePlan {
  key: string;
  /** Chunk keys of the index columns, in order. */
  index: string[];
  /** Chunk keys of the data columns, in order. */
  data: string[];
}

const LABELS: Record<string, string> = {
  i: "run",
  P: "params",
  p: "params",
  m: "metrics",
  d: "derived",
  f: "run",
  a: "artifacts",
  r: "row",
  x: "item",
  o: "row",
  s: "scores",
  e: "run",
};

/** The name a chunk key shows: its own, but `item.<path>` and `scores.<name>` for a row's. */
function display(ns: string, name: string): string {
  if (ns === "x") return name === "" ? "item" : `item.${name}`;
  if (ns === "s") return `scores.${name}`;
  return name;
}

/** The Parquet columns of a plan, named (collisions resolved) and typed by the spill's kinds. */
export function planColumns(
  plan: FilePlan,
  kinds: ReadonlyMap<string, ColumnKind>,
): { columns: ParquetColumn[]; index: string[] } {
  const keys = [...plan.index, ...plan.data];
  const names = columnNames(keys, display, LABELS);
  const columns = keys.map((key) => ({ name: names.get(key)!, kind: kinds.get(key) ?? "null", key }));
  return { columns, index: plan.index.map((k) => names.get(k)!) };
}

/**
 * Writes several Parquet files from one spill, reading its chunks once: each chunk becomes one
 * row group of every file, and a column several files hold is encoded once per chunk. Each file carries pandas metadata naming its index columns.
 */
export async function writePlans(
  target: ExportTarget,
  spill: ColumnSpill,
  plans: readonly FilePlan[],
): Promise<void> {
  const writers: ParquetFileWriter[] = [];
  try {
    for (const plan of plans) {
      const { columns, index } = planColumns(plan, spill.kinds);
      writers.push(
        new ParquetFileWriter(await target.sink(plan.key), columns, {
          pandas: pandasMetadata(columns, index),
        }),
      );
    }
    for await (const chunk of spill.chunks()) {
      const shared = new Map<string, EncodedColumn>();
      for (const w of writers) await w.writeChunk(chunk, shared);
    }
    for (const w of writers) await w.close();
  } catch (e) {
    for (const w of writers) await w.abort().catch(() => undefined);
    throw e;
  }
}

/** The chunk keys of a namespace, in first-seen order or sorted. */
export function keysOf(kinds: ReadonlyMap<string, ColumnKind>, ns: string, sorted = true): string[] {
  const keys = [...kinds.keys()].filter((k) => k.startsWith(`${ns}:`));
  return sorted ? keys.sort() : keys;
}
