import { expect, it } from "vitest";
import { runKey } from "../runs/runs-read.js";
import type { SqlStore } from "../sql-store.js";
import { describeDialects, useTempStores } from "../test-support/temp-store.js";
import { readRowIndex } from "./row-index.js";
import { readScoreColumns, runRowCount } from "./score-columns-read.js";
import { ROWS_COLUMN } from "./score-columns-write.js";

describeDialects("row index and rows column", (dialect) => {
  const fresh = useTempStores("rowindex", dialect);

  async function rowsColumn(store: SqlStore, pk: number): Promise<number[]> {
    const col = (await readScoreColumns(store.ctx, pk, { names: [ROWS_COLUMN], rowPks: true })).get(
      ROWS_COLUMN,
    );
    return col ? Array.from(col.rowPks) : [];
  }

  it("indexes rows by id with datapoint ordinals in id order; the rows column holds every row id", async () => {
    const { store } = await fresh();
    const run = await store.startRun({ experiment: "idx" });
    await run.logRows([
      { datapointId: "b", trial: 1, scores: { s: 1 } },
      { datapointId: "é", scores: {} },
      { datapointId: "a10", scores: { s: 2 } },
      { datapointId: "b", scores: { s: 3 } },
    ]);
    await run.logRows([{ datapointId: "a2", trial: 2, scores: { s: 4 } }]);
    const pk = (await runKey(store.ctx, run.runId)).id;
    const index = await readRowIndex(store.ctx, pk);
    expect(index.datapointIds).toEqual(["a10", "a2", "b", "é"]);
    expect(Array.from(index.trial)).toEqual([1, 0, 0, 0, 2]);
    expect(Array.from(index.datapoint)).toEqual([2, 3, 0, 2, 1]);
    const ids = Array.from(index.rowPks);
    expect(await rowsColumn(store, pk)).toEqual(ids);
    expect(await runRowCount(store.ctx, pk)).toBe(5);
    // A replaced row marks the run stale; the rebuild writes the rows column again.
    await run.logRows([
      { datapointId: "é", scores: { s: 9 } },
      { datapointId: "c", scores: {} },
    ]);
    await run.finish();
    expect(await runRowCount(store.ctx, pk)).toBe(6);
    const after = await readRowIndex(store.ctx, pk);
    expect(await rowsColumn(store, pk)).toEqual(Array.from(after.rowPks));
    expect(after.datapointIds).toEqual(["a10", "a2", "b", "c", "é"]);
  });
});
