import { describe, expect } from "vitest";
import { contractCase, expectError } from "./helpers.js";
import type { ContractContext } from "./suite.js";

/** Times given by the caller (an import keeps its source's times): stored and read back as given. */
export function timeCases(ctx: ContractContext): void {
  describe("caller times", () => {
    contractCase(ctx, "startedAt, finishedAt and metric timestamps are kept", async (store) => {
      const t0 = Date.UTC(2023, 10, 14, 22, 13, 20);
      const run = await store.startRun({ experiment: "e", startedAt: t0 });
      expect(run.started.startedAt).toBe(new Date(t0).toISOString());
      await run.logMetric("loss", 0.5, { step: 0, timestamp: t0 + 1000 });
      await run.logMetrics({ loss: 0.25 }, { step: 1, timestamp: new Date(t0 + 2000) });
      await run.logMetric("acc", 0.9, { timestamp: "2023-11-14T22:13:25.000Z" });
      await run.finish({ finishedAt: t0 + 60_000 });
      const rec = await store.getRun(run.runId);
      expect(rec.startedAt).toBe(new Date(t0).toISOString());
      expect(rec.createdAt).toBe(new Date(t0).toISOString());
      expect(rec.finishedAt).toBe(new Date(t0 + 60_000).toISOString());
      expect(rec.durationMs).toBe(60_000);
      expect(rec.metrics).toEqual({ loss: 0.25, acc: 0.9 });
      expect(await store.getSeries(run.runId, "loss")).toEqual({
        steps: [0, 1],
        values: [0.5, 0.25],
        timestamps: [t0 + 1000, t0 + 2000],
      });
    });

    contractCase(ctx, "fail and cancel take finishedAt; an ISO start time is read", async (store) => {
      const a = await store.startRun({ experiment: "e", startedAt: "2020-01-01T00:00:00Z" });
      await a.fail(new Error("x"), { finishedAt: Date.UTC(2020, 0, 1, 0, 0, 5) });
      const ra = await store.getRun(a.runId);
      expect([ra.startedAt, ra.finishedAt, ra.durationMs]).toEqual([
        "2020-01-01T00:00:00.000Z",
        "2020-01-01T00:00:05.000Z",
        5000,
      ]);
      const b = await store.startRun({ experiment: "e", startedAt: new Date(Date.UTC(2021, 5, 1)) });
      await b.cancel({ finishedAt: "2021-06-01T00:01:00Z" });
      expect((await store.getRun(b.runId)).durationMs).toBe(60_000);
    });

    contractCase(ctx, "a time that is not one is refused, naming the field", async (store) => {
      await expectError(
        store.startRun({ experiment: "e", startedAt: "yesterday" }),
        "INVALID_ARGUMENT",
        /startedAt/,
      );
      const run = await store.startRun({ experiment: "e" });
      await expectError(run.logMetric("x", 1, { timestamp: Number.NaN }), "INVALID_ARGUMENT", /timestamp/);
      await expectError(run.finish({ finishedAt: "soon" }), "INVALID_ARGUMENT", /finishedAt/);
      await run.finish();
      expect((await store.getRun(run.runId)).status).toBe("success");
    });
  });
}
