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
