import { describe, expect } from "vitest";
import { deterministicRunId, runFingerprints } from "../../core/fingerprints.js";
import { contractCase, expectError } from "./helpers.js";
import type { ContractContext } from "./suite.js";

export function recordingCases(ctx: ContractContext): void {
  describe("recording", () => {
    contractCase(ctx, "a run goes running -> success with times and duration", async (store) => {
      const before = Date.now();
      const run = await store.startRun({
        experiment: "e",
        name: "first",
        params: { lr: 0.1 },
        seed: 7,
        tags: { stage: "dev" },
      });
      expect(run.started.status).toBe("running");
      await run.flush();
      expect((await store.getRun(run.runId)).status).toBe("running");
      await run.logMetrics({ acc: 0.9, loss: 0.2 });
      await run.finish();
      const rec = await store.getRun(run.runId);
      expect(rec).toMatchObject({
        status: "success",
        name: "first",
        params: { lr: 0.1 },
        seed: 7,
        tags: { stage: "dev" },
      });
      expect(rec.metrics).toEqual({ acc: 0.9, loss: 0.2 });
      expect(Date.parse(rec.startedAt!)).toBeGreaterThanOrEqual(before - 1);
      expect(Date.parse(rec.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(rec.startedAt!));
      expect(rec.durationMs).toBe(Date.parse(rec.finishedAt!) - Date.parse(rec.startedAt!));
      expect(rec.error).toBeNull();
    });

    contractCase(ctx, "fail keeps the error and cancel marks cancelled", async (store) => {
      const a = await store.startRun({ experiment: "e" });
      const err = new RangeError("lr too large");
      await a.fail(err);
      const rec = await store.getRun(a.runId);
      expect(rec.status).toBe("failed");
      expect(rec.error).toMatchObject({ type: "RangeError", message: "lr too large" });
      expect(rec.error!.stack).toContain("lr too large");
      const b = await store.startRun({ experiment: "e" });
      await b.cancel();
      expect((await store.getRun(b.runId)).status).toBe("cancelled");
    });

    contractCase(ctx, "logging after the end is refused and writes nothing", async (store) => {
      const run = await store.startRun({ experiment: "e" });
      await run.logMetric("acc", 0.5);
      await run.finish();
      await expectError(run.logMetric("acc", 0.9), "FAILED_PRECONDITION", /ended \(success\).*logMetric/);
      await expectError(run.finish(), "FAILED_PRECONDITION", /finish\(\)/);
      await expectError(run.logRows([{ datapointId: "a", scores: { x: 1 } }]), "FAILED_PRECONDITION");
      await expectError(
        store.writeRun(run.runId, { metrics: [{ name: "acc", value: 1, step: null, timestamp: 0 }] }),
        "FAILED_PRECONDITION",
      );
      const rec = await store.getRun(run.runId);
      expect(rec.metrics).toEqual({ acc: 0.5 });
      expect(rec.status).toBe("success");
    });

    contractCase(ctx, "unknown run ids are NOT_FOUND", async (store) => {
      await expectError(store.getRun("nope"), "NOT_FOUND", /nope/);
      await expectError(store.writeRun("nope", {}), "NOT_FOUND");
      await expectError(store.listArtifacts("nope"), "NOT_FOUND");
      await expectError(store.getSeries("nope", "loss"), "NOT_FOUND");
      await expectError(store.deleteRun("nope"), "NOT_FOUND");
    });

    contractCase(
      ctx,
      "a param that is a function is refused, naming it, and no run is stored",
      async (store) => {
        await expectError(
          store.startRun({ experiment: "e", params: { opt: { schedule: () => 1 } } }),
          "INVALID_ARGUMENT",
          /params\.opt\.schedule.*function/,
        );
        expect(await store.listRuns()).toHaveLength(0);
      },
    );

    contractCase(ctx, "stepped metrics keep a series apart from the summary", async (store) => {
      const run = await store.startRun({ experiment: "e" });
      for (let s = 0; s < 5; s++) await run.logMetric("loss", 1 / (s + 1), { step: s });
      await run.logMetric("acc", 0.7);
      await run.finish();
      const rec = await store.getRun(run.runId);
      expect(rec.metrics).toEqual({ loss: 0.2, acc: 0.7 });
      const series = await store.getSeries(run.runId, "loss");
      expect(series.steps).toEqual([0, 1, 2, 3, 4]);
      expect(series.values).toEqual([1, 0.5, 1 / 3, 0.25, 0.2]);
      expect(await store.listSeries(run.runId)).toEqual(["loss"]);
      expect((await store.getSeries(run.runId, "acc")).steps).toEqual([]);
    });

    contractCase(ctx, "tags: bare and key/value, setTags merges", async (store) => {
      const run = await store.startRun({ experiment: "e", tags: ["baseline"] });
      await run.setTags({ stage: "dev" });
      await run.setTags(["good"]);
      await run.finish();
      expect((await store.getRun(run.runId)).tags).toEqual({ baseline: "", stage: "dev", good: "" });
      await expectError(
        store.startRun({ experiment: "e", tags: { k: 1 as unknown as string } }),
        "INVALID_ARGUMENT",
        /tags\.k/,
      );
    });

    contractCase(ctx, "deterministic ids, ALREADY_EXISTS and replace", async (store) => {
      const input = {
        experiment: "det:1.0.0",
        params: { b: 2, a: 1 },
        seed: 3,
        runId: "deterministic" as const,
      };
      const run = await store.startRun(input);
      const expected = deterministicRunId("det:1.0.0", runFingerprints({ a: 1, b: 2 }, 3, undefined));
      expect(run.runId).toBe(expected);
      await run.logMetric("acc", 0.1);
      await run.fail(new Error("x"));
      await expectError(store.startRun(input), "ALREADY_EXISTS", new RegExp(expected));
      const again = await store.startRun({ ...input, ifExists: "replace" });
      expect(again.runId).toBe(expected);
      await again.finish();
      const rec = await store.getRun(expected);
      expect(rec.status).toBe("success");
      expect(rec.metrics).toEqual({});
      expect(await store.listRuns()).toHaveLength(1);
    });

    contractCase(ctx, "listRuns filters by experiment, status and limit, newest first", async (store) => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await store.startRun({ experiment: i < 3 ? "a" : "b", params: { i } });
        ids.push(r.runId);
        if (i % 2 === 0) await r.finish();
        else await r.fail("boom");
      }
      expect((await store.listRuns({ experiment: "a" })).map((r) => r.params.i)).toEqual([2, 1, 0]);
      expect((await store.listRuns({ status: "failed" })).map((r) => r.params.i)).toEqual([3, 1]);
      expect(await store.listRuns({ limit: 2 })).toHaveLength(2);
      expect((await store.listRuns({ limit: 2, offset: 2 })).map((r) => r.params.i)).toEqual([1, 0]);
      await store.deleteRun(ids[0]!);
      expect(await store.listRuns()).toHaveLength(3);
      await expectError(store.getRun(ids[0]!), "NOT_FOUND");
    });

    contractCase(ctx, "rows: trials, replacement of the same datapoint and trial, order", async (store) => {
      const run = await store.startRun({ experiment: "eval" });
      await run.logRows([
        { datapointId: "q2", item: { q: "2+2" }, output: "4", scores: { em: 1, grade: "good" } },
        { datapointId: "q1", scores: { em: 0 }, trial: 0 },
        { datapointId: "q1", scores: { em: 1 }, trial: 1, requests: [{ latencyMs: 12 }] },
      ]);
      await run.logRows([
        { datapointId: "q2", item: { q: "2+2" }, output: "5", scores: { em: 0, grade: "bad" } },
      ]);
      await run.finish();
      const rows = [];
      for await (const r of store.iterateRowRecords(run.runId, { batchSize: 2 })) rows.push(r);
      expect(rows.map((r) => [r.datapointId, r.trial])).toEqual([
        ["q1", 0],
        ["q1", 1],
        ["q2", 0],
      ]);
      expect(rows[2]).toMatchObject({ output: "5", scores: { em: 0, grade: "bad" }, item: { q: "2+2" } });
      expect(rows[1]!.requests).toEqual([{ latencyMs: 12 }]);
      await expectError(run.logRows([]), "FAILED_PRECONDITION");
    });

    contractCase(ctx, "bad rows are refused whole, naming the field", async (store) => {
      const run = await store.startRun({ experiment: "eval" });
      await expectError(
        run.logRows([
          { datapointId: "a", scores: { x: 1 } },
          { datapointId: "", scores: {} },
        ]),
        "INVALID_ARGUMENT",
        /rows\[1\]\.datapointId/,
      );
      await expectError(
        run.logRows([{ datapointId: "a", scores: { x: {} as unknown as number } }]),
        "INVALID_ARGUMENT",
        /rows\[0\]\.scores\.x/,
      );
      await run.finish();
      const rows = [];
      for await (const r of store.iterateRowRecords(run.runId)) rows.push(r);
      expect(rows).toHaveLength(0);
    });
  });
}
