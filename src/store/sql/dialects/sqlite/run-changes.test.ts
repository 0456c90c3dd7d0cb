import { describe, expect, it } from "vitest";
import { sqliteRunChanges } from "./run-changes.js";
import { tempStore } from "./test-support/temp-store.js";

describe("run change log", () => {
  it("names the runs changed between two marks: recorded changes, new runs by key, runs newly indexed", async () => {
    const t = await tempStore("run-changes");
    try {
      const { store } = t;
      const feed = sqliteRunChanges(store.ctx.db, undefined, { keep: 5, trimEvery: 2 });
      const log = async () => {
        const run = await store.startRun({ experiment: "e", params: { x: 1 } });
        await run.finish();
        return run.runId;
      };
      const ids = [await log(), await log()];
      const m0 = await feed.mark();
      expect(m0).toMatchObject({ top: 2, through: 0 });
      expect(await feed.changedSince(m0, m0, 100)).toEqual([]);
      await log(); // key 3
      await store.setDerived(ids[0]!, { y: 1 }); // key 1
      await store.searchRuns({ filter: "params.x = 1" }); // indexes keys 1 to 3
      const m1 = await feed.mark();
      expect(m1).toMatchObject({ top: 3, through: 3 });
      expect((await feed.changedSince(m0, m1, 100))?.sort()).toEqual([1, 2, 3]);
      expect(await feed.changedSince(m0, m1, 2)).toBeNull(); // more than the limit
      for (let i = 0; i < 8; i++) await store.ctx.write((tx) => feed.record(tx, [2]));
      const m2 = await feed.mark();
      expect(await feed.changedSince(m1, m2, 100)).toBeNull(); // trimmed past m1
      for (let i = 0; i < 2; i++) await store.ctx.write((tx) => feed.record(tx, [1]));
      expect((await feed.changedSince(m2, await feed.mark(), 100))?.sort()).toEqual([1]);
    } finally {
      await t.close();
    }
  });
});
