import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fileSink } from "./byte-sink.js";
import { ColumnSpill } from "./column-spill.js";
import { ParquetFileWriter } from "./parquet-writer.js";
import { writeStreamed } from "./streamed-table.js";
import { readParquet } from "./test-support/read-parquet.js";

const dir = mkdtempSync(join(tmpdir(), "labbook-streamed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function write(
  path: string,
  rows: Record<string, unknown>[],
): Promise<{ n: number; produced: number }> {
  let produced = 0;
  const n = await writeStreamed(
    () => new ColumnSpill({ chunkRows: 2 }),
    async (spill) => {
      produced++;
      for (const r of rows) await spill.add(r);
    },
    async (spill) =>
      new ParquetFileWriter(
        await fileSink(path),
        [...spill.kinds].map(([name, kind]) => ({ name, kind })),
      ),
  );
  return { n, produced };
}

describe("writeStreamed", () => {
  it("streams chunk by chunk when every row fits the first chunk's columns", async () => {
    const path = join(dir, "same.pq");
    const rows = [1, 2, 3, 4, 5].map((i) => ({ a: i, s: `r${i}` }));
    expect(await write(path, rows)).toEqual({ n: 5, produced: 1 });
    expect((await readParquet(path)).rows).toEqual(rows.map((r) => ({ a: BigInt(r.a), s: r.s })));
  });

  it("produces the rows again through a spill when a later row brings a column or a wider kind", async () => {
    const path = join(dir, "wider.pq");
    const rows = [{ a: 1 }, { a: 2 }, { a: 3, b: "new" }, { a: 2.5 }, { a: Number.NaN }];
    expect(await write(path, rows)).toEqual({ n: 5, produced: 2 });
    const read = await readParquet(path);
    expect(read.types).toEqual({ a: "DOUBLE", b: "VARCHAR" });
    expect(read.rows.map((r) => r.a)).toEqual([1, 2, 3, 2.5, Number.NaN]);
    expect(read.rows.map((r) => r.b)).toEqual([null, null, "new", null, null]);
    expect(readdirSync(dir).filter((f) => f.includes(".partial-"))).toEqual([]);
  });
});
