import { describe, expect } from "vitest";
import { contractCase, expectError } from "./helpers.js";
import type { ContractContext } from "./suite.js";

/** Contract cases of heartbeats, the `crashed` status and claims (issue 12, items 5 and 6). */
export function livenessCases(ctx: ContractContext): void {
  describe("heartbeats, crashed runs, claims", () => {
    contractCase(
      ctx,
      "a heartbeat names open runs and executions; ended and unknown ones are left alone",
      async (store) => {
        expect(store.heartbeatTimeoutMs).toBeGreaterThan(0);
        const run = await store.startRun({ experiment: "beat", params: { k: 1 } });
        await run.flush();
        const ended = await store.startRun({ experiment: "beat", params: { k: 2 } });
        await ended.finish();
        const exec = await store.createExecution({ experiment: "beat" });
        const key = { name: "beat", executionId: exec.executionId };
        await store.heartbeat({ runIds: [run.runId, ended.runId, "no-such-run"], executions: [key] });
        await store.heartbeat({});
        expect((await store.getRun(run.runId)).status).toBe("running");
        expect((await store.getRun(ended.runId)).status).toBe("success");
        expect((await store.getExecution("beat")).status).toBe("running");
        await expectError(store.heartbeat({ runIds: "x" as unknown as string[] }), "INVALID_ARGUMENT");
        await run.finish();
        await store.updateExecution("beat", exec.executionId, { status: "finished", finishedAt: Date.now() });
        await store.heartbeat({ runIds: [run.runId], executions: [key] });
        expect((await store.getRun(run.runId)).status).toBe("success");
        expect((await store.getExecution("beat")).status).toBe("finished");
        expect(await store.listRuns({ status: "crashed" })).toEqual([]);
        expect((await store.searchRuns({ filter: 'status = "crashed"' })).pagination.totalResults).toBe(0);
      },
    );

    contractCase(ctx, "a claim replaces only a run in one of the replaceIf statuses", async (store) => {
      const claim = {
        experiment: "claims",
        ifExists: "replace",
        replaceIf: ["crashed", "cancelled"],
      } as const;
      const live = await store.startRun({ experiment: "claims", runId: "c-live" });
      await live.flush();
      await expectError(store.startRun({ ...claim, runId: "c-live" }), "ALREADY_EXISTS", /status running/);
      const cancelled = await store.startRun({ experiment: "claims", runId: "c-cancelled" });
      await cancelled.logMetric("acc", 0.1);
      await cancelled.cancel();
      const taken = await store.startRun({ ...claim, runId: "c-cancelled" });
      await taken.logMetric("acc", 0.9);
      await taken.finish();
      const rec = await store.getRun("c-cancelled");
      expect([rec.status, rec.metrics]).toEqual(["success", { acc: 0.9 }]);
      await expectError(
        store.startRun({ ...claim, runId: "c-cancelled" }),
        "ALREADY_EXISTS",
        /status success/,
      );
      await expectError(
        store.startRun({ experiment: "claims", replaceIf: ["crashed"] }),
        "INVALID_ARGUMENT",
        /replaceIf/,
      );
      await live.finish();
    });
  });
}
