import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../dialects/sqlite/open.js";
import { useTempStores } from "../dialects/sqlite/test-support/temp-store.js";

const fresh = useTempStores("summaries");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("experiment summaries", () => {
  it("count a run whose writer stopped beating as crashed", async () => {
    const t = await fresh();
    const run = await t.store.startRun({ experiment: "s" });
    await run.logMetric("loss", 1);
    await run.flush();
    const done = await t.store.startRun({ experiment: "s" });
    await done.finish();
    const reader = await openSqliteStore(t.dir, { heartbeatTimeoutMs: 300 });
    try {
      expect((await reader.summarizeExperiments())[0]!.statusCounts).toEqual({ running: 1, success: 1 });
      await sleep(400);
      expect((await reader.summarizeExperiments())[0]!.statusCounts).toEqual({ crashed: 1, success: 1 });
    } finally {
      await reader.close();
    }
  });
});

describe("experiment summaries: the last activity", () => {
  const lastOf = async (store: Awaited<ReturnType<typeof openSqliteStore>>, id: string) =>
    (await store.summarizeExperiments()).find((s) => s.experimentId === id);

  it("counts runs the run index has not reached, also while another writer holds the database", async () => {
    const t = await fresh();
    for (let i = 0; i < 2; i++) await (await t.store.startRun({ experiment: "a:1.0.0" })).finish();
    await t.store.searchRuns({ filter: "params.x = 1" }); // indexes both
    await sleep(5);
    const late = await t.store.startRun({ experiment: "a:1.0.0" });
    await late.finish(); // above the run index
    const reader = await openSqliteStore(t.dir, { busyTimeoutMs: 20 });
    const lock = new BetterSqlite3(join(t.dir, "labbook.db"));
    try {
      lock.exec("begin immediate"); // another writer: the reader reads past it, as readers do
      const finished = Date.parse((await reader.getRun(late.runId)).finishedAt!);
      expect(await lastOf(reader, "a:1.0.0")).toMatchObject({
        runCount: 3,
        lastActivityAt: new Date(finished).toISOString(),
      });
      lock.exec("rollback");
      expect((await lastOf(reader, "a:1.0.0"))?.lastActivityAt).toBe(new Date(finished).toISOString());
    } finally {
      lock.close();
      await reader.close();
    }
  });

  it("is null once every run of the version is deleted, and follows runs ended after they were indexed", async () => {
    const t = await fresh();
    const open = await t.store.startRun({ experiment: "b:1.0.0" });
    await open.flush();
    const gone = await t.store.startRun({ experiment: "c:1.0.0" });
    await gone.finish();
    await t.store.searchRuns({ filter: "params.x = 1" }); // both indexed
    await sleep(5);
    await open.finish();
    const finished = (await t.store.getRun(open.runId)).finishedAt!;
    expect((await lastOf(t.store, "b:1.0.0"))?.lastActivityAt).toBe(
      new Date(Date.parse(finished)).toISOString(),
    );
    await t.store.deleteRun(gone.runId);
    expect(await lastOf(t.store, "c:1.0.0")).toMatchObject({
      runCount: 0,
      statusCounts: {},
      lastActivityAt: null,
    });
  });
});
