import { describe, expect } from "vitest";
import type { RangeScoreAggregate, RubricScoreAggregate } from "../../scores/types.js";
import { contractCase, expectError } from "./helpers.js";
import type { ContractContext } from "./suite.js";

/** Scores and aggregates (issue 4): the same answers from every store. */
export function scoreCases(ctx: ContractContext): void {
  describe("scores and aggregates", () => {
    contractCase(
      ctx,
      "aggregateScores gives range figures (NaN apart) and rubric distributions",
      async (store) => {
        await store.createExperiment({ name: "sc" });
        await store.defineMetric("sc", { name: "tone", kind: "rubric", categories: ["good", "bad"] });
        const run = await store.startRun({ experiment: "sc" });
        await run.logRows([
          { datapointId: "a", item: { k: "x" }, scores: { s: 1, tone: "bad" } },
          { datapointId: "b", item: { k: "y" }, scores: { s: 2, tone: "meh" } },
          { datapointId: "c", item: { k: "x" }, scores: { s: Number.NaN, tone: "bad" } },
          { datapointId: "d", item: { k: "y" }, scores: { s: 4, tone: null } },
        ]);
        await run.finish();
        const r = await store.aggregateScores(run.runId, { percentiles: [50], bins: 3 });
        expect(r.rows).toBe(4);
        const s = r.scores.find((x) => x.name === "s") as RangeScoreAggregate;
        expect(s).toEqual({
          name: "s",
          scoreType: "range",
          count: 3,
          nanCount: 1,
          sum: 7,
          mean: 7 / 3,
          min: 1,
          max: 4,
          // numpy.var([1, 2, 4]) and numpy.std([1, 2, 4]), to the last bit
          variance: 1.5555555555555554,
          stdDev: 1.247219128924647,
          ddof: 0,
          percentiles: { p50: 2 },
          histogram: { edges: [1, 2, 3, 4], counts: [1, 1, 1] },
        });
        const tone = r.scores.find((x) => x.name === "tone") as RubricScoreAggregate;
        expect(tone.distribution).toEqual([
          { category: "good", count: 0 },
          { category: "bad", count: 2 },
          { category: "meh", count: 1 },
        ]);
        expect(tone.modeCategory).toBe("bad");
        // a null category counts as no value, as NaN would
        expect([tone.count, tone.nanCount]).toEqual([3, 1]);
        const g = await store.aggregateScores(run.runId, {
          scores: ["s"],
          groupBy: "item.k",
          fields: ["mean"],
        });
        expect(
          g.groups?.map((x) => [x.key["item.k"], x.rows, (x.scores[0] as RangeScoreAggregate).mean]),
        ).toEqual([
          ["x", 2, 1],
          ["y", 2, 3],
        ]);
        await expectError(store.aggregateScores(run.runId, { scores: ["nope"] }), "NOT_FOUND");
      },
    );

    contractCase(
      ctx,
      'aggregateScores with compat "nemo" answers with the NVIDIA evaluator\'s figures and names',
      async (store) => {
        await store.createExperiment({ name: "nemo" });
        await store.defineMetric("nemo", { name: "tone", kind: "rubric", categories: ["good", "bad"] });
        const run = await store.startRun({ experiment: "nemo" });
        // 0..9 as in the evaluator's test_aggregate_metrics_returns_distribution, then one NaN
        await run.logRows([
          ...Array.from({ length: 10 }, (_, i) => ({
            datapointId: `d${i}`,
            scores: { s: i, tone: i < 3 ? "bad" : i < 6 ? "good" : null },
          })),
          { datapointId: "nan", scores: { s: Number.NaN } },
        ]);
        await run.finish();
        const r = await store.aggregateScores(run.runId, { compat: "nemo" });
        expect(r.compat).toBe("nemo");
        const s = r.scores.find((x) => x.name === "s")!;
        expect(s).toMatchObject({
          name: "s",
          count: 10,
          nan_count: 1,
          sum: 45,
          mean: 4.5,
          min: 0,
          max: 9,
          variance: 8.25,
          score_type: "range",
        });
        if (s.score_type !== "range") throw new Error("range expected");
        expect(s.percentiles).toMatchObject({ p50: 4.5, p100: 9 });
        expect(s.percentiles!.p10).toBeCloseTo(0.1, 12);
        expect(s.histogram.bins).toHaveLength(10);
        expect(s.histogram.bins[0]).toEqual({ lower_bound: 0, upper_bound: 0.9, count: 1 });
        expect(Object.keys(s)).toEqual([
          "name",
          "count",
          "nan_count",
          "sum",
          "mean",
          "min",
          "max",
          "std_dev",
          "variance",
          "score_type",
          "percentiles",
          "histogram",
        ]);
        const tone = r.scores.find((x) => x.name === "tone")!;
        if (tone.score_type !== "rubric") throw new Error("rubric expected");
        // 3 bad, 3 good (a tie: the smallest label), 5 without a category
        expect(tone).toMatchObject({ count: 6, nan_count: 5, mode_category: "bad" });
        expect(tone.rubric_distribution).toEqual([
          { label: "good", value: null, count: 3 },
          { label: "bad", value: null, count: 3 },
        ]);
        await expectError(store.aggregateScores(run.runId, { compat: "nemo", bins: 5 }), "INVALID_ARGUMENT");
        await expectError(
          store.aggregateScores(run.runId, { compat: "mlflow" as never }),
          "INVALID_ARGUMENT",
        );
      },
    );

    contractCase(
      ctx,
      "runResult judges thresholds and composites; aggregateRuns groups runs",
      async (store) => {
        await store.createExperiment({ name: "rr" });
        await store.defineMetric("rr", { name: "acc", kind: "range", threshold: { min: 0.5 } });
        const run = await store.startRun({ experiment: "rr", params: { lr: 0.1 } });
        await run.logMetrics({ w: 2 });
        await run.logRows([
          { datapointId: "a", scores: { acc: 0.9 } },
          { datapointId: "b", scores: { acc: 0.2 } },
        ]);
        await run.finish();
        await store.defineComposite("rr", { name: "double", expression: "scores.acc * metrics.w" });
        const r = await store.runResult(run.runId);
        expect(r).toMatchObject({ success: false, passed: 1, failed: 1, passRate: 0.5 });
        expect(r.metrics.acc).toMatchObject({ count: 2, passed: 1, failed: 1 });
        expect(r.metrics.acc!.aggregate).toBeCloseTo(0.55, 14);
        expect(r.composites.double).toBeCloseTo(1.1, 14);
        expect(r.datapoints.data.map((d) => [d.datapointId, d.passed, d.failedMetrics])).toEqual([
          ["a", true, []],
          ["b", false, ["acc"]],
        ]);
        await expectError(
          store.defineComposite("rr", { name: "x", expression: "scores.acc +" }),
          "INVALID_ARGUMENT",
          /position 13/,
        );
        const other = await store.startRun({ experiment: "rr", params: { lr: 0.1 } });
        await other.logMetrics({ w: 4 });
        await other.finish();
        const agg = await store.aggregateRuns({
          metrics: ["w"],
          groupBy: "params.lr",
          fields: ["count", "mean"],
        });
        expect(agg).toEqual({
          groupBy: ["params.lr"],
          groups: [{ key: { "params.lr": 0.1 }, runs: 2, metrics: { w: { count: 2, mean: 3 } } }],
        });
      },
    );
  });
}
