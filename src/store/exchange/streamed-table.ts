import type { ColumnKind } from "./column-kind.js";
import type { ColumnSpill } from "./column-spill.js";
import type { ParquetFileWriter } from "./parquet-writer.js";

class SchemaChanged extends Error {}

function sameKinds(a: ReadonlyMap<string, ColumnKind>, b: ReadonlyMap<string, ColumnKind>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of b) if (a.get(k) !== v) return false;
  return true;
}

/**
 * Writes the rows `produce` adds to one Parquet file. First streamed: the file takes the
 * columns and kinds of the first chunk and each later chunk is written as it fills (nothing
 * spilled). When a later row brings a new column or a wider kind (a fraction in a whole-number
 * column), that file is dropped and the rows are produced again through a spill file, whose
 * schema is known once every row was seen. Returns the number of rows.
 *
 * @example
 * await writeStreamed(() => new ColumnSpill(), async (spill) => { for (const r of rows) await spill.add(r); }, (spill) => open(spill.kinds));
 */
export async function writeStreamed(
  makeSpill: () => ColumnSpill,
  produce: (spill: ColumnSpill) => Promise<void>,
  open: (spill: ColumnSpill) => Promise<ParquetFileWriter>,
): Promise<number> {
  const spill = makeSpill();
  let writer: ParquetFileWriter | null = null;
  let fixed: Map<string, ColumnKind> | null = null;
  const write = async (chunk: Parameters<ParquetFileWriter["writeChunk"]>[0]) => {
    if (writer === null) {
      writer = await open(spill);
      fixed = new Map(spill.kinds);
    } else if (!sameKinds(fixed!, spill.kinds)) throw new SchemaChanged();
    await writer.writeChunk(chunk);
  };
  spill.sink = write;
  try {
    await produce(spill);
    spill.sink = null;
    let wrote = false;
    for await (const chunk of spill.chunks()) {
      await write(chunk);
      wrote = true;
    }
    if (!wrote && writer === null) writer = await open(spill);
    await (writer as ParquetFileWriter | null)?.close();
    return spill.rows;
  } catch (e) {
    await (writer as ParquetFileWriter | null)?.abort();
    if (!(e instanceof SchemaChanged)) throw e;
  } finally {
    spill.dispose();
  }
  const again = makeSpill();
  try {
    await produce(again);
    const file = await open(again);
    try {
      for await (const chunk of again.chunks()) await file.writeChunk(chunk);
      await file.close();
    } catch (e) {
      await file.abort();
      throw e;
    }
    return again.rows;
  } finally {
    again.dispose();
  }
}
