import { expect, it } from "vitest";
import type { RangeScoreAggregate, RubricScoreAggregate } from "../../../scores/types.js";
import { describeDialects, useTempStores } from "../test-support/temp-store.js";

describeDialects("aggregateScores", (dialect) => {
  const fresh = useTempStores("agg", dialect);

  async function fixture() {
    const { store } = await fresh();
    const run = await store.startRun({ experiment: "agg" });
    await run.logRows([
      { datapointId: "a", trial: 0, item: { cat: "x" }, scores: { s: 1, g: "good", ok: true } },
      { datapointId: "a", trial: 1, item: { cat: "x" }, scores: { s: 3, g: "bad", ok: false } },
      { datapointId: "b", trial: 0, item: { cat: "y" }, scores: { s: Number.NaN, g: "bad", ok: true } },
      { datapointId: "c", trial: 0, item: { cat: "y" }, scores: { s: 10, g: "meh", ok: true } },
      { datapointId: "d", trial: 0, item: { cat: "x" }, scores: { s: 6, g: "good" } },
    ]);
    await run.finish();
    return { store, runId: run.runId };
  }

  const byName = <T extends { name: string }>(list: T[], name: string) => list.find((s) => s.name === name)!;

  it("gives every figure of range scores (NaN in nanCount only) and rubric distributions", async () => {
    const { store, runId } = await fixture();
    const r = await store.aggregateScores(runId);
    expect(r.runId).toBe(runId);
    expect(r.rows).toBe(5);
    expect(r.scores.map((s) => [s.name, s.scoreType])).toEqual([
      ["g", "rubric"],
      ["ok", "range"],
      ["s", "range"],
    ]);
    const s = byName(r.scores, "s") as RangeScoreAggregate;
    // values 1, 3, 10, 6: sum 20, mean 5, population variance (16 + 4 + 25 + 1) / 4 = 11.5
    expect(s).toMatchObject({ count: 4, nanCount: 1, sum: 20, mean: 5, min: 1, max: 10, variance: 11.5 });
    expect(s.ddof).toBe(0);
    expect(s.stdDev).toBeCloseTo(Math.sqrt(11.5), 14);
    // numpy.percentile([1, 3, 6, 10], [1, 50, 99]) = [1.06, 4.5, 9.88]
    expect(Object.keys(s.percentiles!)).toEqual([
      "p1",
      "p5",
      "p10",
      "p25",
      "p50",
      "p75",
      "p90",
      "p95",
      "p99",
    ]);
    expect(s.percentiles!.p50).toBe(4.5);
    expect(s.percentiles!.p1).toBeCloseTo(1.06, 12);
    expect(s.percentiles!.p99).toBeCloseTo(9.88, 12);
    expect(s.histogram!.edges).toHaveLength(21);
    expect(s.histogram!.counts.reduce((a, b) => a + b)).toBe(4);
    const ok = byName(r.scores, "ok") as RangeScoreAggregate;
    // row d has no `ok` score: it counts as NaN (missing), as the NVIDIA evaluator's omitted outputs
    expect(ok).toMatchObject({ count: 4, nanCount: 1, sum: 3, mean: 0.75 });
    const g = byName(r.scores, "g") as RubricScoreAggregate;
    expect(g).toEqual({
      name: "g",
      scoreType: "rubric",
      count: 5,
      nanCount: 0,
      distribution: [
        { category: "bad", count: 2 },
        { category: "good", count: 2 },
        { category: "meh", count: 1 },
      ],
      modeCategory: "bad",
    });
  });

  it("counts values excluding NaN, as the NVIDIA evaluator: [0, NaN, 2, 5, NaN, 15] has count 4", async () => {
    const { store } = await fresh();
    const run = await store.startRun({ experiment: "nemo-count" });
    const values = [0, Number.NaN, 2, 5, Number.NaN, 15];
    await run.logRows(values.map((v, i) => ({ datapointId: `d${i}`, scores: { s: v, nan: Number.NaN } })));
    await run.logRows([
      { datapointId: "r0", scores: { tone: "good" } },
      { datapointId: "r1", scores: {} },
    ]);
    await run.finish();
    const r = await store.aggregateScores(run.runId);
    const s = byName(r.scores, "s") as RangeScoreAggregate;
    // the evaluator's test_aggregate_metrics_nan: count 4, nan_count 2, sum 22, mean 5.5
    expect(s).toMatchObject({ count: 4, nanCount: 2 + 2, sum: 22, mean: 5.5, min: 0, max: 15 });
    expect(s.mean! * s.count!).toBe(s.sum);
    // all NaN (and two rows without it): count 0, every other figure null
    expect(byName(r.scores, "nan")).toMatchObject({
      count: 0,
      nanCount: 8,
      sum: null,
      mean: null,
      stdDev: null,
    });
    // a rubric score: ["good", missing] (and six rows without it) gives count 1
    const tone = byName(r.scores, "tone") as RubricScoreAggregate;
    expect(tone).toMatchObject({ count: 1, nanCount: 7, modeCategory: "good" });
    const only = await store.aggregateScores(run.runId, { filter: { datapoint_id: { $in: ["r0", "r1"] } } });
    expect(byName(only.scores, "tone")).toMatchObject({ count: 1, nanCount: 1 });
    const justS = await store.aggregateScores(run.runId, { filter: 'datapoint_id like "d%"', scores: ["s"] });
    expect(byName(justS.scores, "s")).toMatchObject({ count: 4, nanCount: 2 });
  });

  it("orders defined categories first and reads a defined kind", async () => {
    const { store, runId } = await fixture();
    await store.defineMetric("agg", { name: "g", kind: "rubric", categories: ["good", "bad", "great"] });
    await store.defineMetric("agg", { name: "ok", kind: "rubric" });
    const r = await store.aggregateScores(runId, { scores: ["g", "ok"] });
    const g = byName(r.scores, "g") as RubricScoreAggregate;
    expect(g.distribution!.map((c) => c.category)).toEqual(["good", "bad", "great", "meh"]);
    expect(g.modeCategory).toBe("good");
    const ok = byName(r.scores, "ok") as RubricScoreAggregate;
    expect(ok.distribution).toEqual([
      { category: "false", count: 1 },
      { category: "true", count: 3 },
    ]);
  });

  it("returns only the requested fields, percentiles and bins", async () => {
    const { store, runId } = await fixture();
    const r = await store.aggregateScores(runId, {
      scores: ["s", "g"],
      fields: ["mean", "percentiles", "histogram", "modeCategory"],
      percentiles: [50],
      bins: 3,
    });
    expect(r.scores).toEqual([
      {
        name: "s",
        scoreType: "range",
        mean: 5,
        percentiles: { p50: 4.5 },
        histogram: { edges: [1, 4, 7, 10], counts: [2, 1, 1] },
      },
      { name: "g", scoreType: "rubric", modeCategory: "bad" },
    ]);
  });

  it("groups by a row field, in key order, with the ungrouped figures beside", async () => {
    const { store, runId } = await fixture();
    const r = await store.aggregateScores(runId, {
      scores: ["s"],
      groupBy: "item.cat",
      fields: ["count", "mean"],
    });
    expect(r.scores).toEqual([{ name: "s", scoreType: "range", count: 4, mean: 5 }]);
    expect(r.groups).toEqual([
      {
        key: { "item.cat": "x" },
        rows: 3,
        scores: [{ name: "s", scoreType: "range", count: 3, mean: 10 / 3 }],
      },
      { key: { "item.cat": "y" }, rows: 2, scores: [{ name: "s", scoreType: "range", count: 1, mean: 10 }] },
    ]);
  });

  it("byDatapoint averages each datapoint's trials first", async () => {
    const { store, runId } = await fixture();
    const r = await store.aggregateScores(runId, {
      scores: ["s", "g"],
      byDatapoint: true,
      fields: ["count", "nanCount", "mean", "distribution"],
    });
    // a: (1 + 3) / 2 = 2, b: NaN, c: 10, d: 6
    expect(byName(r.scores, "s")).toEqual({ name: "s", scoreType: "range", count: 3, nanCount: 1, mean: 6 });
    // a: good/bad tie -> first seen (good); b: bad; c: meh; d: good
    expect((byName(r.scores, "g") as RubricScoreAggregate).distribution).toEqual([
      { category: "bad", count: 1 },
      { category: "good", count: 2 },
      { category: "meh", count: 1 },
    ]);
  });

  it("keeps only rows matching a filter, in either syntax, with groups and byDatapoint", async () => {
    const { store, runId } = await fixture();
    const r = await store.aggregateScores(runId, {
      filter: "scores.s >= 3",
      scores: ["s"],
      fields: ["count", "mean"],
    });
    expect(r.rows).toBe(3);
    expect(r.scores).toEqual([{ name: "s", scoreType: "range", count: 3, mean: 19 / 3 }]);
    const j = await store.aggregateScores(runId, {
      filter: { "item.cat": "x" },
      groupBy: "datapoint_id",
      byDatapoint: true,
      scores: ["s"],
      fields: ["mean"],
    });
    expect(j.rows).toBe(3);
    expect(j.groups!.map((g) => [g.key.datapoint_id, g.rows, g.scores[0]])).toEqual([
      ["a", 2, { name: "s", scoreType: "range", mean: 2 }],
      ["d", 1, { name: "s", scoreType: "range", mean: 6 }],
    ]);
    await expect(store.aggregateScores(runId, { filter: "scores.s >" })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });

  it("names what is wrong: unknown score, bad option values", async () => {
    const { store, runId } = await fixture();
    await expect(store.aggregateScores(runId, { scores: ["nope"] })).rejects.toMatchObject({
      code: "NOT_FOUND",
      field: "scores",
    });
    await expect(store.aggregateScores("missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(store.aggregateScores(runId, { percentiles: [101] })).rejects.toThrow(
      /^percentiles: must be an array of numbers in \[0, 100\]/,
    );
    await expect(store.aggregateScores(runId, { bins: 0 })).rejects.toThrow(/^bins: must be a whole number/);
    await expect(store.aggregateScores(runId, { fields: ["median" as never] })).rejects.toThrow(
      /^fields: must list figures/,
    );
    await expect(store.aggregateScores(runId, { groupBy: "params.lr" })).rejects.toThrow(
      /^groupBy: must be a row field/,
    );
    await expect(store.aggregateScores(runId, { bin: 3 } as never)).rejects.toThrow(/^bin: is not an option/);
  });

  it("a defined score the run lacks has empty figures", async () => {
    const { store, runId } = await fixture();
    await store.defineMetric("agg", { name: "later", kind: "range" });
    const r = await store.aggregateScores(runId, {
      scores: ["later"],
      fields: ["count", "mean", "percentiles"],
      percentiles: [50],
    });
    expect(r.scores).toEqual([
      { name: "later", scoreType: "range", count: 0, mean: null, percentiles: { p50: null } },
    ]);
  });
});
