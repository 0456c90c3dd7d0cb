import { expect, it } from "vitest";
import type { RowInput, ScoreValue } from "../../../core/types.js";
import { runKey } from "../runs/runs-read.js";
import type { SqlStore } from "../sql-store.js";
import { describeDialects, useTempStores } from "../test-support/temp-store.js";
import { valueAt } from "./score-chunk-codec.js";
import { readScoreColumns, runRowCount, scoreNames } from "./score-columns-read.js";
import { CHUNK_ROWS, RESERVED_COLUMNS, ROWS_COLUMN } from "./score-columns-write.js";

describeDialects("columnar score copy", (dialect) => {
  const fresh = useTempStores("cols", dialect);

  async function columnValues(store: SqlStore, runId: string, name: string): Promise<ScoreValue[]> {
    const pk = (await runKey(store.ctx, runId)).id;
    const col = (await readScoreColumns(store.ctx, pk, { names: [name], rowPks: true })).get(name);
    if (!col) return [];
    return Array.from({ length: col.count }, (_, i) => valueAt(col, i));
  }

  async function chunkCount(store: SqlStore, runId: string): Promise<number> {
    const pk = (await runKey(store.ctx, runId)).id;
    const r = await store.ctx.db
      .selectFrom("score_chunks")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("run_pk", "=", pk)
      .where("name", "not in", RESERVED_COLUMNS)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  it("keeps every logged value (NaN, infinities, -0, booleans, strings, null) in row order", async () => {
    const { store } = await fresh();
    const run = await store.startRun({ experiment: "cols" });
    const values: ScoreValue[] = [
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -0,
      true,
      false,
      "good",
      null,
      -2,
    ];
    await run.logRows(values.slice(0, 4).map((v, i) => ({ datapointId: `d${i}`, scores: { s: v } })));
    await run.logRows(values.slice(4).map((v, i) => ({ datapointId: `d${i + 4}`, scores: { s: v, t: i } })));
    await run.finish();
    expect(await columnValues(store, run.runId, "s")).toEqual(values);
    expect(await columnValues(store, run.runId, "t")).toEqual([0, 1, 2, 3, 4]);
    expect(await scoreNames(store.ctx, (await runKey(store.ctx, run.runId)).id)).toEqual(["s", "t"]);
    // Small writes merge into the last chunk: one chunk per score.
    expect(await chunkCount(store, run.runId)).toBe(2);
  });

  it("splits large writes into chunks and merges string dictionaries across them", async () => {
    const { store } = await fresh();
    const run = await store.startRun({ experiment: "cols" });
    const n = CHUNK_ROWS + 10;
    const rows: RowInput[] = Array.from({ length: n }, (_, i) => ({
      datapointId: `d${String(i).padStart(6, "0")}`,
      scores: { c: i < CHUNK_ROWS ? "a" : i % 2 ? "b" : "a" },
    }));
    await run.logRows(rows);
    await run.finish();
    expect(await chunkCount(store, run.runId)).toBe(2);
    const got = await columnValues(store, run.runId, "c");
    expect(got.length).toBe(n);
    expect(got.slice(CHUNK_ROWS - 1)).toEqual(["a", "a", "b", "a", "b", "a", "b", "a", "b", "a", "b"]);
  });

  it("stays exact when a row is logged again: the run is rebuilt from row_scores on read", async () => {
    const { store } = await fresh();
    const run = await store.startRun({ experiment: "cols" });
    await run.logRows([
      { datapointId: "a", scores: { s: 1 } },
      { datapointId: "b", scores: { s: 2 } },
      { datapointId: "a", trial: 1, scores: { s: 3 } },
    ]);
    await run.logRows([{ datapointId: "b", scores: { s: 20, u: "x" } }]);
    const pk = (await runKey(store.ctx, run.runId)).id;
    const stale = await store.ctx.db.selectFrom("score_chunks_stale").selectAll().execute();
    expect(stale.map((r) => Number(r.run_pk))).toEqual([pk]);
    await run.logRows([{ datapointId: "c", scores: { s: 4 } }]);
    await run.finish();
    // Row order is row-id order: b kept its id when replaced.
    expect(await columnValues(store, run.runId, "s")).toEqual([1, 20, 3, 4]);
    expect(await columnValues(store, run.runId, "u")).toEqual(["x"]);
    expect(await store.ctx.db.selectFrom("score_chunks_stale").selectAll().execute()).toEqual([]);
    // After the rebuild, appends go on as usual.
    expect(await chunkCount(store, run.runId)).toBe(2);
    // The row counter is rebuilt with the chunks: a/0, b, a/1, c.
    expect(await runRowCount(store.ctx, pk)).toBe(4);
  });

  it("counts a run's rows, those without scores too, from its rows column", async () => {
    const { store } = await fresh();
    const run = await store.startRun({ experiment: "cols" });
    await run.logRows([
      { datapointId: "a", scores: { s: 1 } },
      { datapointId: "b", scores: {} },
    ]);
    await run.logRows([{ datapointId: "c", scores: {} }]);
    await run.finish();
    const pk = (await runKey(store.ctx, run.runId)).id;
    expect(await runRowCount(store.ctx, pk)).toBe(3);
    expect(await scoreNames(store.ctx, pk)).toEqual(["s"]);
    expect([...(await readScoreColumns(store.ctx, pk)).keys()]).toEqual(["s"]);
    // Without a counter (a run written before it existed) the rows are counted.
    await store.ctx.db.deleteFrom("score_chunks").where("name", "=", ROWS_COLUMN).execute();
    expect(await runRowCount(store.ctx, pk)).toBe(3);
  });
});
