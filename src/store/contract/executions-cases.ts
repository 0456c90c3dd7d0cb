import { describe, expect } from "vitest";
import { defineExperiment } from "../../runner/define.js";
import { loadExecution } from "../../runner/execution.js";
import { executeExperiment } from "../../runner/run-experiment.js";
import { tag } from "../../runner/tag.js";
import { contractCase, expectError } from "./helpers.js";
import type { ContractContext } from "./suite.js";

/** Contract cases of the runner's store methods (issue 6): executions, saved objects, versions, merge. */
export function executionCases(ctx: ContractContext): void {
  describe("executions, saved objects, versions, merge", () => {
    contractCase(
      ctx,
      "executions get unique time-stamped ids and keep their objects lines",
      async (store) => {
        await store.createExperiment({ name: "xp", version: "2.0.0" });
        const at = Date.UTC(2026, 0, 2, 3, 4, 5);
        const a = await store.createExecution({ experiment: "xp:2.0.0", startedAt: at });
        const b = await store.createExecution({ experiment: "xp", startedAt: at });
        expect([a.executionId, b.executionId]).toEqual(["20260102_030405", "20260102_030405_2"]);
        expect(a).toMatchObject({
          experimentId: "xp:2.0.0",
          status: "running",
          finishedAt: null,
          manifest: null,
        });
        await store.appendExecutionObjects("xp", a.executionId, ['{"kind":"x","n":1}', '{"kind":"x","n":2}']);
        await expectError(
          store.appendExecutionObjects("xp", a.executionId, ["not json"]),
          "INVALID_ARGUMENT",
          /lines\[0\]/,
        );
        const lines: string[] = [];
        for await (const l of store.executionObjects("xp", { executionId: a.executionId })) lines.push(l);
        expect(lines).toEqual(['{"kind":"x","n":1}\n', '{"kind":"x","n":2}\n']);
        expect((await store.getExecution("xp")).executionId).toBe(b.executionId);
        await expectError(store.getExecution("xp", { executionId: "20990101_000000" }), "NOT_FOUND");
        const done = await store.updateExecution("xp", a.executionId, {
          status: "finished",
          finishedAt: at + 1000,
        });
        expect(done.finishedAt).toBe(new Date(at + 1000).toISOString());
      },
    );

    contractCase(ctx, "saved objects keep shared references; versions in SemVer order", async (store) => {
      await store.createExperiment({ name: "xp", version: "1.9.0" });
      await store.createExperiment({ name: "xp", version: "1.10.0" });
      expect(await store.listVersions("xp")).toEqual(["1.9.0", "1.10.0"]);
      expect(await store.latestVersion("xp")).toBe("1.10.0");
      await store.createExecution({ experiment: "xp" });
      const shared = { w: [1, 2] };
      await store.saveObject("xp", "final-results", { a: shared, b: shared, nan: Number.NaN });
      const back = (await store.loadObject("xp", "final-results")) as { a: object; b: object; nan: number };
      expect(back.a).toBe(back.b);
      expect(back.nan).toBeNaN();
      await expectError(store.loadObject("xp", "nothing"), "NOT_FOUND", /nothing/);
      expect((await store.listObjects("xp")).map((o) => o.name)).toEqual(["final-results"]);
    });

    contractCase(
      ctx,
      "a runner sweep: statuses, tags map, resume, configs sharing one object",
      async (store) => {
        const model = { name: "m" };
        const exp = defineExperiment({
          name: "contract-sweep",
          params: { lr: tag([1, 2]), model: [model] },
          seeds: 2,
          run: async ({ params, capture }) => {
            if (params.lr === 2) throw new Error("no");
            await capture.metric("y", 1);
          },
        });
        const first = await executeExperiment(exp, { store, concurrency: 2 });
        expect(first.counts).toMatchObject({ success: 2, failed: 2, total: 4 });
        const ids = first.results.records.map((r) => r.runId);
        const statuses = await store.runStatuses([...ids, "absent"]);
        expect(Object.values(statuses).sort()).toEqual(["failed", "failed", "success", "success"]);
        const tags = await store.tagsMap("contract-sweep");
        expect(
          Object.values(tags)
            .map((t) => t.lr)
            .sort(),
        ).toEqual(["1", "1", "2", "2"]);
        const again = await executeExperiment(exp, { store, resume: true });
        expect(again.counts).toMatchObject({ skipped: 4, success: 0 });
        const loaded = await loadExecution(store, "contract-sweep", {
          executionId: first.execution.executionId,
        });
        const configs = [...loaded.runs.values()];
        expect(configs).toHaveLength(4);
        expect(configs[0]!.model).toBe(configs[3]!.model);
      },
    );

    contractCase(ctx, "merge copies what is missing, idempotently", async (store) => {
      const other = await ctx.fresh();
      try {
        const run = await other.store.startRun({
          experiment: "m:1.0.0",
          params: { a: 1 },
          runId: "deterministic",
        });
        await run.logMetric("loss", 0.5, { step: 1 });
        await run.logRows([{ datapointId: "d", scores: { em: 1 } }]);
        await run.logArtifact("note.txt", "hello");
        await run.finish();
        await other.store.defineMetric("m:1.0.0", { name: "em", kind: "range", threshold: { min: 1 } });
        const e = await other.store.createExecution({ experiment: "m:1.0.0" });
        await other.store.saveObject("m", "obj", [1, 2], { executionId: e.executionId });
        const first = await store.merge(other.store);
        expect(first).toMatchObject({
          experiments: 1,
          runs: 1,
          rows: 1,
          seriesPoints: 1,
          artifacts: 1,
          executions: 1,
          savedObjects: 1,
        });
        const second = await store.merge(other.store);
        expect(second).toMatchObject({
          experiments: 0,
          runs: 0,
          runsSkipped: 1,
          executions: 0,
          savedObjects: 0,
        });
        const copied = await store.getRun(run.runId);
        expect(copied).toMatchObject({ status: "success", metrics: { loss: 0.5 }, params: { a: 1 } });
        expect(await store.loadObject("m", "obj")).toEqual([1, 2]);
        expect(first.metricDefinitions).toBe(1);
        expect(second.metricDefinitions).toBe(0);
        expect((await store.getMetricDefinitions("m:1.0.0")).map((d) => [d.name, d.threshold])).toEqual([
          ["em", { min: 1 }],
        ]);
      } finally {
        await other.cleanup();
      }
    });
  });
}
