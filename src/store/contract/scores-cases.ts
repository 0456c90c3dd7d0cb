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
          count: 4,
          nanCount: 1,
          sum: 7,
          mean: 7 / 3,
          min: 1,
          max: 4,
          // numpy.var([1, 2, 4]) and numpy.std([1, 2, 4]), to the last bit
          variance: 1.5555555555555554,
          stdDev: 1.247219128924647,
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
