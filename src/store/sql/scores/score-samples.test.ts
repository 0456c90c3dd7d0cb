import { expect, it } from "vitest";
import { selectRows } from "../rows/row-selection.js";
import { readScoreColumns } from "../rows/score-columns-read.js";
import { runKey } from "../runs/runs-read.js";
import { describeDialects, useTempStores } from "../test-support/temp-store.js";
import { rangeSamples, rubricSamples } from "./score-samples.js";

describeDialects("row selection and samples", (dialect) => {
  const fresh = useTempStores("samples", dialect);

  async function fixture() {
    const { store } = await fresh();
    const run = await store.startRun({ experiment: "samples" });
    await run.logRows([
      { datapointId: "b", trial: 0, item: { cat: "x", n: 2 }, scores: { s: 1, g: "good" } },
      { datapointId: "a", trial: 0, item: { cat: "y" }, scores: { s: 2, g: "bad" } },
      { datapointId: "b", trial: 1, item: { cat: "x", n: 2 }, scores: { s: Number.NaN, g: "bad" } },
      { datapointId: "a", trial: 1, item: { cat: "y" }, scores: { s: 4, g: "bad" } },
      { datapointId: "c", trial: 0, item: { cat: "x", n: 10 }, scores: { s: true, g: null } },
      { datapointId: "d", trial: 0, item: {}, scores: { g: "good" } },
    ]);
    await run.finish();
    const pk = (await runKey(store.ctx, run.runId)).id;
    return { store, pk };
  }

  it("without a selection takes every numeric value in row order, NaN kept", async () => {
    const { store, pk } = await fixture();
    expect(await selectRows(store.ctx, pk, { groupBy: [], byDatapoint: false })).toBeNull();
    const cols = await readScoreColumns(store.ctx, pk);
    expect(rangeSamples(cols.get("s")!, null, false).map((a) => Array.from(a))).toEqual([
      [1, 2, Number.NaN, 4, 1],
    ]);
    expect(rubricSamples(cols.get("g")!, null, false)).toEqual([["good", "bad", "bad", "bad", "good"]]);
  });

  it("groups by item paths and datapoint ids, in key order, with null for a missing field", async () => {
    const { store, pk } = await fixture();
    const byCat = (await selectRows(store.ctx, pk, { groupBy: ["item.cat"], byDatapoint: false }))!;
    expect(byCat.keys).toEqual([["x"], ["y"], [null]]);
    const cols = await readScoreColumns(store.ctx, pk, { rowPks: true });
    expect(rangeSamples(cols.get("s")!, byCat.sel, false).map((a) => Array.from(a))).toEqual([
      [1, Number.NaN, 1],
      [2, 4],
      [],
    ]);
    const byN = (await selectRows(store.ctx, pk, {
      groupBy: ["item.n", "datapoint_id"],
      byDatapoint: false,
    }))!;
    expect(byN.keys).toEqual([
      [2, "b"],
      [10, "c"],
      [null, "a"],
      [null, "d"],
    ]);
    const byScore = (await selectRows(store.ctx, pk, { groupBy: ["scores.g"], byDatapoint: false }))!;
    expect(byScore.keys).toEqual([["bad"], ["good"], [null]]);
  });

  it("byDatapoint averages trials (NaN trials left out) and takes each datapoint's most frequent category", async () => {
    const { store, pk } = await fixture();
    const sel = (await selectRows(store.ctx, pk, { groupBy: [], byDatapoint: true }))!;
    const cols = await readScoreColumns(store.ctx, pk, { rowPks: true });
    // Datapoints in id order: a (2, 4), b (1, NaN), c (true)
    expect(rangeSamples(cols.get("s")!, sel.sel, true).map((a) => Array.from(a))).toEqual([[3, 1, 1]]);
    // a: bad, bad; b: good, bad (tie: first seen); d: good
    expect(rubricSamples(cols.get("g")!, sel.sel, true)).toEqual([["bad", "good", "good"]]);
  });

  it("refuses a group path that is not a row field", async () => {
    const { store, pk } = await fixture();
    const err = await selectRows(store.ctx, pk, { groupBy: ["params.lr"], byDatapoint: false }).catch(
      (e) => e,
    );
    expect(err.code).toBe("INVALID_ARGUMENT");
    expect(err.message).toMatch(/^groupBy: must be a row field/);
  });
});
