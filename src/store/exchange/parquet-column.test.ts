import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { afterAll, describe, expect, it } from "vitest";
import { fileSink } from "./byte-sink.js";
import { toParquetValue } from "./column-kind.js";
import { ColumnSpill } from "./column-spill.js";
import { ELEMENT, ParquetFileWriter } from "./parquet-writer.js";

const dir = mkdtempSync(join(tmpdir(), "labbook-parquet-column-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHUNK = 50;

/** Values of one column: a kind of value, some missing (undefined) or null. */
const number = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 32, -(2 ** 32) - 1),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ maxLength: 6 }),
  fc.constantFrom("a", "b", "é", "😀", "\ue000", "", "x".repeat(40)),
);
const date = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms));
const columnOf = <T>(value: fc.Arbitrary<T>) =>
  fc.array(fc.option(value, { nil: undefined, freq: 4 }), { minLength: 0, maxLength: 160 });
const column = fc.oneof(
  columnOf(fc.integer({ min: -1000, max: 1000 })),
  columnOf(number),
  columnOf(fc.boolean()),
  columnOf(text),
  // Few distinct strings (a dictionary) and many (plain); then values of several kinds (JSON).
  columnOf(fc.constantFrom("success", "failed", "running")),
  columnOf(fc.integer({ min: 0, max: 1e6 }).map((i) => `run-${i}`)),
  columnOf(date),
  columnOf(fc.oneof(number, text, fc.boolean(), fc.constant(null), fc.array(number, { maxLength: 3 }))),
  fc.constant<unknown[]>([null, undefined, null]),
);

let db: Promise<DuckDBInstance> | null = null;
async function query(sql: string): Promise<Record<string, unknown>[]> {
  db ??= DuckDBInstance.create(":memory:");
  const conn = await (await db).connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
  }
}

/** The same rows written by hyparquet-writer from per-value objects (how every file was written before). */
function referenceFile(path: string, names: string[], spill: ColumnSpill, cols: unknown[][], rows: number) {
  const kinds = names.map((n) => spill.kinds.get(n) ?? "null");
  const writer = new ByteWriter();
  const w = new ParquetWriter({
    writer,
    schema: [
      { name: "root", num_children: names.length },
      ...names.map((name, i) => ({ name, repetition_type: "OPTIONAL" as const, ...ELEMENT[kinds[i]!] })),
    ],
  });
  if (rows > 0) {
    w.write({
      columnData: names.map((name, i) => ({
        name,
        data: Array.from({ length: rows }, (_, r) => toParquetValue(kinds[i]!, cols[i]![r])),
      })),
      rowGroupSize: CHUNK,
    });
  }
  w.finish();
  writeFileSync(path, writer.getBytes());
}

describe("writeColumnChunk (typed column chunks)", () => {
  it("reads back as hyparquet-writer's files of the same rows do: values, types and statistics", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(column, { minLength: 1, maxLength: 4 }), async (cols: unknown[][]) => {
        const rows = Math.max(...cols.map((c) => c.length));
        const names = cols.map((_, i) => `c${i}`);
        const spill = new ColumnSpill({ chunkRows: CHUNK });
        for (const name of names) spill.declare(name);
        for (let r = 0; r < rows; r++) {
          for (let i = 0; i < names.length; i++) spill.set(names[i]!, cols[i]![r]);
          await spill.endRow();
        }
        const ours = join(dir, `ours-${n}.pq`);
        const theirs = join(dir, `theirs-${n++}.pq`);
        const columns = names.map((name) => ({ name, kind: spill.kinds.get(name) ?? "null" }));
        const file = new ParquetFileWriter(await fileSink(ours), columns);
        for await (const chunk of spill.chunks()) await file.writeChunk(chunk);
        await file.close();
        spill.dispose();
        referenceFile(theirs, names, spill, cols, rows);
        const read = (p: string) => query(`select * from read_parquet('${p}')`);
        expect(await read(ours)).toEqual(await read(theirs));
        const types = (p: string) => query(`select name, type, converted_type from parquet_schema('${p}')`);
        expect(await types(ours)).toEqual(await types(theirs));
        const stats = (p: string) =>
          query(
            `select row_group_id, path_in_schema, num_values, stats_null_count, stats_min_value, stats_max_value from parquet_metadata('${p}') order by 1, 2`,
          );
        expect(await stats(ours)).toEqual(await stats(theirs));
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it("statistics let DuckDB skip row groups without losing rows", async () => {
    const spill = new ColumnSpill({ chunkRows: 100 });
    for (let i = 0; i < 1000; i++) await spill.add({ i, x: i % 7 === 0 ? Number.NaN : i / 2, s: `k${i}` });
    const path = join(dir, "skip.pq");
    const file = new ParquetFileWriter(
      await fileSink(path),
      [...spill.kinds].map(([name, kind]) => ({ name, kind })),
    );
    for await (const chunk of spill.chunks()) await file.writeChunk(chunk);
    await file.close();
    spill.dispose();
    const [r] = await query(
      `select count(*)::int as n, sum(i)::int as s from read_parquet('${path}') where i between 250 and 420 and x > 130 and s >= 'k3'`,
    );
    // DuckDB orders NaN above every number: NaN > 130 holds.
    const expected = Array.from({ length: 1000 }, (_, i) => i).filter(
      (i) => i >= 250 && i <= 420 && (i % 7 === 0 || i / 2 > 130) && `k${i}` >= "k3",
    );
    expect(r).toEqual({ n: expected.length, s: expected.reduce((a, b) => a + b, 0) });
  });
});
