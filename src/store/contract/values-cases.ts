import { describe, expect } from "vitest";
import { contractCase } from "./helpers.js";
import type { ContractContext } from "./suite.js";

export function valueCases(ctx: ContractContext): void {
  describe("values", () => {
    contractCase(
      ctx,
      "NaN, Infinity and -Infinity round-trip in metrics, series, scores and params",
      async (store) => {
        const run = await store.startRun({
          experiment: "v",
          params: { a: Number.NaN, b: [Number.POSITIVE_INFINITY, -0] },
        });
        await run.logMetrics({
          nan: Number.NaN,
          inf: Number.POSITIVE_INFINITY,
          ninf: Number.NEGATIVE_INFINITY,
          z: -0,
        });
        await run.logMetric("s", Number.NaN, { step: 1 });
        await run.logMetric("s", Number.NEGATIVE_INFINITY, { step: 2 });
        await run.logRows([
          { datapointId: "d", scores: { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: true, d: null } },
        ]);
        await run.finish();
        const rec = await store.getRun(run.runId);
        expect(rec.metrics.nan).toBeNaN();
        expect(rec.metrics.inf).toBe(Number.POSITIVE_INFINITY);
        expect(rec.metrics.ninf).toBe(Number.NEGATIVE_INFINITY);
        expect(rec.params.a).toBeNaN();
        expect(rec.params.b).toEqual([Number.POSITIVE_INFINITY, 0]);
        expect((await store.getSeries(run.runId, "s")).values).toEqual([
          Number.NaN,
          Number.NEGATIVE_INFINITY,
        ]);
        for await (const row of store.iterateRowRecords(run.runId)) {
          expect(row.scores.a).toBeNaN();
          expect(row.scores).toMatchObject({ b: Number.POSITIVE_INFINITY, c: true, d: null });
        }
      },
    );

    contractCase(ctx, "nested, unicode and 100 kB params round-trip", async (store) => {
      const big = {
        layers: Array.from({ length: 2200 }, (_, i) => ({ units: i, act: "relu", note: "ünïcødé ✓ 模型" })),
      };
      expect(JSON.stringify(big).length).toBeGreaterThan(100_000);
      const params = {
        model: { name: "模型-β", opt: { lr: 1e-3, betas: [0.9, 0.999] } },
        "key with space": "😀",
        big,
      };
      const run = await store.startRun({ experiment: "v", params });
      await run.finish();
      expect((await store.getRun(run.runId)).params).toEqual(params);
    });

    contractCase(
      ctx,
      "derived values are stored beside the run without changing fingerprints",
      async (store) => {
        const run = await store.startRun({ experiment: "v", params: { a: 1 } });
        await run.finish();
        const before = await store.getRun(run.runId);
        await store.setDerived(run.runId, { ratio: 0.5, label: "x", nested: { k: [1, 2] } });
        await store.setDerived(run.runId, { ratio: 0.7 }, { overwrite: false });
        const after = await store.getRun(run.runId);
        expect(after.derived).toEqual({ ratio: 0.5, label: "x", nested: { k: [1, 2] } });
        expect(after.paramsFingerprint).toBe(before.paramsFingerprint);
        await store.setDerived(run.runId, { ratio: 0.7 });
        expect((await store.getRun(run.runId)).derived.ratio).toBe(0.7);
      },
    );
  });
}
