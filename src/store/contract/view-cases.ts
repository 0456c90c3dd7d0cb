import { describe, expect } from "vitest";
import { contractCase, expectError } from "./helpers.js";
import type { ContractContext } from "./suite.js";

/** What the web page reads: downsampled series and experiments with their run counts. */
export function viewCases(ctx: ContractContext): void {
  describe("views", () => {
    contractCase(ctx, "downsampleSeries keeps each bucket's min and max (a spike stays)", async (store) => {
      const run = await store.startRun({ experiment: "ds" });
      for (let step = 0; step < 5000; step++) {
        void run.logMetric("loss", step === 3217 ? 100 : step === 4001 ? -50 : 1 + (step % 7) / 10, { step });
      }
      void run.logMetric("loss", Number.NaN, { step: 5000 });
      await run.finish();
      const s = await store.downsampleSeries(run.runId, "loss", { maxPoints: 100 });
      expect(s.totalPoints).toBe(5001);
      expect(s.downsampled).toBe(true);
      expect(s.steps.length).toBeLessThanOrEqual(100);
      expect(s.steps.length).toBeGreaterThan(50);
      expect(s.counts.reduce((a, b) => a + b, 0)).toBe(5001);
      expect(s.nanCounts.reduce((a, b) => a + b, 0)).toBe(1);
      expect(Math.max(...s.max.map((v) => v ?? -Infinity))).toBe(100);
      expect(Math.min(...s.min.map((v) => v ?? Infinity))).toBe(-50);
      const spike = s.max.indexOf(100);
      expect(s.steps[spike]).toBeLessThanOrEqual(3217);
      expect(s.lastSteps[spike]).toBeGreaterThanOrEqual(3217);
      expect(s.steps).toEqual([...s.steps].sort((a, b) => a - b));
      // a short series comes back point by point
      const all = await store.downsampleSeries(run.runId, "loss", { maxPoints: 10_000 });
      expect(all.downsampled).toBe(false);
      expect(all.steps).toEqual((await store.getSeries(run.runId, "loss")).steps);
      expect(all.values[3217]).toBe(100);
      expect(all.values[5000]).toBeNull();
      expect((await store.downsampleSeries(run.runId, "none", { maxPoints: 10 })).totalPoints).toBe(0);
      await expectError(
        store.downsampleSeries(run.runId, "loss", { maxPoints: 1 }),
        "INVALID_ARGUMENT",
        /maxPoints/,
      );
      await expectError(store.downsampleSeries("nope", "loss", { maxPoints: 10 }), "NOT_FOUND");
    });

    contractCase(ctx, "listSeries names each series once, in name order, however long", async (store) => {
      const run = await store.startRun({ experiment: "ls" });
      for (let step = 0; step < 300; step++)
        void run.logMetrics({ "b.x": step, a: step, b: 1, "a b": 2 }, { step });
      void run.logMetrics({ summary_only: 1 });
      await run.finish();
      expect(await store.listSeries(run.runId)).toEqual(["a", "a b", "b", "b.x"]);
      const empty = await store.startRun({ experiment: "ls" });
      await empty.finish();
      expect(await store.listSeries(empty.runId)).toEqual([]);
    });

    contractCase(ctx, "summarizeExperiments counts runs by status, with the last activity", async (store) => {
      await store.createExperiment({ name: "empty" });
      for (const status of ["success", "success", "failed"] as const) {
        const run = await store.startRun({ experiment: "sum:1.0.0", params: { status } });
        if (status === "success") await run.finish();
        else await run.fail(new Error("boom"));
      }
      const open = await store.startRun({ experiment: "sum:1.0.0" });
      await open.flush();
      const other = await store.startRun({ experiment: "sum:2.0.0" });
      await other.finish();
      const summaries = await store.summarizeExperiments();
      expect(summaries.map((s) => s.experimentId)).toEqual(["empty:0.1.0", "sum:1.0.0", "sum:2.0.0"]);
      const [empty, one, two] = summaries;
      expect(empty).toMatchObject({ runCount: 0, statusCounts: {}, lastActivityAt: null });
      expect(one).toMatchObject({ runCount: 4, statusCounts: { success: 2, failed: 1, running: 1 } });
      expect(two).toMatchObject({ runCount: 1, statusCounts: { success: 1 } });
      const last = Date.parse(one!.lastActivityAt!);
      const finished = (await store.listRuns({ experiment: "sum:1.0.0" })).map((r) =>
        Math.max(
          ...[r.createdAt, r.startedAt, r.finishedAt].filter((t) => t !== null).map((t) => Date.parse(t!)),
        ),
      );
      expect(last).toBe(Math.max(...finished));
      await open.finish();
    });
  });
}
