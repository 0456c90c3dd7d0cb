import { describe, expect } from "vitest";
import { contractCase, expectError } from "./helpers.js";
import type { ContractContext } from "./suite.js";

/** Comparison of runs (issue 5): the same answers from every store. */
export function compareCases(ctx: ContractContext): void {
  describe("comparison", () => {
    contractCase(ctx, "compareRuns pairs datapoints, tests and gives a verdict", async (store) => {
      await store.createExperiment({ name: "cmp" });
      await store.defineMetric("cmp", { name: "latency", kind: "range", direction: "lower" });
      const ids = Array.from({ length: 12 }, (_, i) => `d${i}`);
      const old = await store.startRun({ experiment: "cmp" });
      await old.logRows(ids.map((d) => ({ datapointId: d, scores: { ok: true, latency: 100 } })));
      await old.finish();
      const neu = await store.startRun({ experiment: "cmp" });
      await neu.logRows([
        ...ids.map((d, i) => ({
          datapointId: d,
          scores: { ok: i >= 10, latency: i === 0 ? Number.NaN : 90 },
        })),
        { datapointId: "extra", scores: { ok: true, latency: 1 } },
      ]);
      await neu.finish();
      const r = await store.compareRuns(neu.runId, old.runId, { includeIds: true, idLimit: 1 });
      expect(r).toMatchObject({ commonDatapoints: 12, newOnly: 1, oldOnly: 0, newOnlyIds: ["extra"] });
      expect(r.metrics.ok).toMatchObject({ foundCount: 12, degradedCount: 10, degraded: ["d0"] });
      // 10 discordant pairs all one way: McNemar exact p = 2 / 2^10.
      expect(r.metrics.ok?.test).toEqual({ name: "mcnemar-exact", statistic: 0, pValue: 2 / 1024 });
      expect(r.metrics.latency).toMatchObject({ foundCount: 11, nanCount: 1, improvedCount: 11, delta: -10 });
      expect(r).toMatchObject({ improvedMetrics: ["latency"], degradedMetrics: ["ok"], verdict: "block" });
      await expectError(store.compareRuns(neu.runId, "missing-run"), "NOT_FOUND");
    });

    contractCase(ctx, "compareGroups runs Welch's t-test over two filtered groups", async (store) => {
      for (const [model, acc] of [
        ["a", 0.81],
        ["a", 0.83],
        ["a", 0.85],
        ["b", 0.71],
        ["b", 0.75],
      ] as const) {
        const run = await store.startRun({ experiment: "grp", params: { model } });
        await run.logMetrics({ acc });
        await run.finish();
      }
      const r = await store.compareGroups('params.model = "a"', 'params.model = "b"', { metrics: ["acc"] });
      expect(r).toMatchObject({ runsA: 3, runsB: 2 });
      const m = r.metrics.acc!;
      expect(m.delta).toBeCloseTo(0.1, 12);
      // scipy.stats.ttest_ind([.81, .83, .85], [.71, .75], equal_var=False)
      expect(m.test.statistic).toBeCloseTo(4.330127018922196, 9);
      expect(m.test.pValue).toBeCloseTo(0.06649603374135434, 9);
      expect(m.test.df).toBeCloseTo(1.6842105263157858, 9);
    });
  });
}
