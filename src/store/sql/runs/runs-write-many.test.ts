import { expect, it } from "vitest";
import { tempStore } from "../dialects/sqlite/test-support/temp-store.js";

it("writeRuns records the runs it changes in the run change log, as writeRun does", async () => {
  const t = await tempStore("write-many");
  try {
    const { store } = t;
    const feed = store.ctx.runChanges!;
    const a = await store.startRun({ experiment: "e", params: { x: 1 } });
    const b = await store.startRun({ experiment: "e", params: { x: 2 } });
    await store.searchRuns({ filter: "params.x = 1" }); // indexes both runs
    const m0 = await feed.mark();
    const created = await store.prepareRun({ experiment: "e", params: { x: 3 } });
    await store.writeRuns([
      { runId: a.runId, batch: { metrics: [{ name: "acc", value: 0.5, step: 0, timestamp: 1 }] } },
      { runId: created.runId, batch: { create: created } },
      { runId: b.runId, batch: { end: { status: "success" } } },
    ]);
    const m1 = await feed.mark();
    const keys = (await feed.changedSince(m0, m1, 100))?.sort();
    const pk = async (runId: string) =>
      Number(
        (
          await store.ctx.db
            .selectFrom("runs")
            .select("id")
            .where("run_id", "=", runId)
            .executeTakeFirstOrThrow()
        ).id,
      );
    expect(keys).toEqual([await pk(a.runId), await pk(b.runId), await pk(created.runId)].sort());
    expect((await store.searchRuns({ filter: "metrics.acc = 0.5" })).data.map((r) => r.runId)).toEqual([
      a.runId,
    ]);
  } finally {
    await t.close();
  }
});
