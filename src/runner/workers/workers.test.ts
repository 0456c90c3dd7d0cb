import { threadId } from "node:worker_threads";
import { beforeEach, describe, expect, it } from "vitest";
import type { SqlStore } from "../../store/sql/sql-store.js";
import { describeDialects, useTempStores } from "../../store/sql/test-support/temp-store.js";
import { executeExperiment } from "../run-experiment.js";
import { inWorkers } from "../test-support/worker-module.js";

describeDialects("workers", (dialect) => {
  const fresh = useTempStores("workers", dialect);
  let store: SqlStore;
  beforeEach(async () => {
    ({ store } = await fresh());
  });

  describe.each(["threads", "processes"] as const)("runs in %s", (workers) => {
    it("run functions run in workers; capture, save, errors and timeouts come back to the store", async () => {
      const { counts } = await executeExperiment(inWorkers, {
        store,
        workers,
        concurrency: 2,
        timeoutMs: 1500,
      });
      expect(counts).toMatchObject({ success: 4, failed: 2, total: 6 });
      const runs = await store.listRuns({ experiment: "in-workers" });
      const byI = new Map(runs.map((r) => [r.params.i as number, r]));
      const places = new Set<string>();
      for (const i of [0, 1, 2, 5]) {
        const r = byI.get(i)!;
        expect(r.status).toBe("success");
        expect(r.metrics.square).toBe(i * i);
        const where = (await store.getData(r.runId, "where")) as {
          pid: number;
          threadId: number;
          worker: boolean;
        };
        expect(where.worker).toBe(true);
        if (workers === "threads") {
          expect(where.pid).toBe(process.pid);
          expect(where.threadId).not.toBe(threadId);
        } else expect(where.pid).not.toBe(process.pid);
        places.add(`${where.pid}/${where.threadId}`);
        const log = await store.getArtifact(r.runId, "log");
        expect(Buffer.from(log.bytes).toString()).toBe(`run ${i}\n`);
      }
      expect(places.size).toBeGreaterThanOrEqual(1);
      expect(byI.get(3)!.error).toMatchObject({ type: "RangeError", message: "three fails" });
      expect(byI.get(4)!.error!.message).toMatch(/timeoutMs/);
      expect(await store.loadObject("in-workers", "from-worker")).toEqual({
        from: "worker",
        bytes: new Uint8Array([1, 2]),
      });
    });
  });
});
