import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { tempStore } from "../dialects/sqlite/test-support/temp-store.js";
import { syncRunIndex } from "./run-index.js";

describe("the deferred metric-value index", () => {
  it("holds logged values as pending until a sync moves them all, batch by batch", async () => {
    const t = await tempStore("metric-index");
    const { store } = t;
    try {
      for (let i = 0; i < 6; i++) {
        const run = await store.startRun({ experiment: "m", params: { i } });
        await run.logMetrics({ acc: i / 10, loss: 1 - i / 10 });
        await run.finish();
      }
      const wide = await store.startRun({ experiment: "m", params: { i: 6 } });
      await wide.logMetrics(Object.fromEntries(Array.from({ length: 12 }, (_, k) => [`m${k}`, k])));
      await wide.finish();
      const pending = async () =>
        Number(
          (
            await sql<{ n: number }>`select count(*) as n from run_metrics where pending = 1`.execute(
              store.ctx.db,
            )
          ).rows[0]!.n,
        );
      expect(await pending()).toBe(6 * 2 + 12);
      // Batches of 5 runs: several transactions, one of them holding the 12-metric run.
      expect(await syncRunIndex(store.ctx, 5)).toBe(true);
      expect(await pending()).toBe(0);
      const page = await store.searchRuns({ filter: "metrics.acc >= 0.2", sort: "-metrics.acc" });
      expect(page.data.map((r) => r.metrics?.acc)).toEqual([0.5, 0.4, 0.3, 0.2]);
      // A value logged later is pending again, and the next metric search indexes it first.
      const late = await store.startRun({ experiment: "m", params: { i: 7 } });
      await late.logMetrics({ acc: 0.9 });
      await late.finish();
      expect(await pending()).toBe(1);
      const again = await store.searchRuns({ filter: "metrics.acc > 0.45", sort: "-metrics.acc" });
      expect(again.data.map((r) => r.metrics?.acc)).toEqual([0.9, 0.5]);
      expect(again.pagination.totalResults).toBe(2);
      expect(await pending()).toBe(0);
    } finally {
      await t.close();
    }
  });
});
