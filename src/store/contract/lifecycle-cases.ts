import { describe, expect } from "vitest";
import { contractCase } from "./helpers.js";
import type { ContractContext } from "./suite.js";

export function lifecycleCases(ctx: ContractContext): void {
  describe("run lifecycle", () => {
    contractCase(ctx, "a started run is stored as running before anything is logged", async (store) => {
      const run = await store.startRun({ experiment: "life", params: { lr: 0.1 } });
      // No flush, no log: listings (which never wait for a handle) see it at once.
      const listed = await store.listRuns({ status: "running" });
      expect(listed.map((r) => r.runId)).toEqual([run.runId]);
      expect(listed[0]?.params).toEqual({ lr: 0.1 });
      const page = await store.searchRuns({ filter: 'status = "running"' });
      expect(page.data.map((r) => r.runId)).toEqual([run.runId]);
      await store.putArtifact(run.runId, "early.bin", new Uint8Array([1]), {
        kind: "bytes",
        mediaType: "application/octet-stream",
      });
      await run.finish();
    });

    contractCase(
      ctx,
      "writes of one run left un-awaited apply in the order they were called",
      async (store) => {
        const run = await store.startRun({ experiment: "life" });
        void run.logMetric("v", 1, { step: 0 });
        void run.logRows([{ datapointId: "q1", scores: { s: 1 } }]);
        void run.logArtifact("note", { v: 1 });
        void run.logRows([
          { datapointId: "q1", scores: { s: 2 } },
          { datapointId: "q2", scores: { s: 3 } },
        ]);
        void run.logArtifact("note", { v: 2 });
        void run.logData("curve", [1, 2]);
        void run.setTags({ stage: "late" });
        void run.logMetric("v", 2, { step: 1 });
        void run.logData("curve", [3]);
        await run.finish();
        const rec = await store.getRun(run.runId);
        expect(rec.status).toBe("success");
        expect(rec.metrics.v).toBe(2);
        expect(rec.tags.stage).toBe("late");
        expect((await store.getSeries(run.runId, "v")).values).toEqual([1, 2]);
        const rows: { id: string; s: unknown }[] = [];
        for await (const r of store.iterateRowRecords(run.runId))
          rows.push({ id: r.datapointId, s: r.scores.s });
        expect(rows).toEqual([
          { id: "q1", s: 2 },
          { id: "q2", s: 3 },
        ]);
        const note = await store.getArtifact(run.runId, "note");
        expect(JSON.parse(Buffer.from(note.bytes).toString())).toEqual({ v: 2 });
        expect(await store.getData(run.runId, "curve")).toEqual([3]);
      },
    );

    contractCase(
      ctx,
      "withRun finishes the run when the function returns and fails it when it throws",
      async (store) => {
        const value = await store.withRun({ experiment: "life", params: { n: 1 } }, async (run) => {
          void run.logMetric("acc", 0.75);
          return run.runId;
        });
        expect(await store.getRun(value)).toMatchObject({ status: "success", metrics: { acc: 0.75 } });
        let id = "";
        const thrown = await store
          .withRun({ experiment: "life", params: { n: 2 } }, async (run) => {
            id = run.runId;
            await run.logMetric("acc", 0.5);
            throw new RangeError("diverged");
          })
          .catch((e: unknown) => e);
        expect(thrown).toBeInstanceOf(RangeError);
        const failed = await store.getRun(id);
        expect(failed).toMatchObject({ status: "failed", metrics: { acc: 0.5 } });
        expect(failed.error).toMatchObject({ type: "RangeError", message: "diverged" });
        const cancelled = await store.withRun({ experiment: "life", params: { n: 3 } }, async (run) => {
          await run.cancel();
          return run.runId;
        });
        expect((await store.getRun(cancelled)).status).toBe("cancelled");
      },
    );
  });
}
