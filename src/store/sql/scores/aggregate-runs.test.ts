import { expect, it } from "vitest";
import { describeDialects, useTempStores } from "../test-support/temp-store.js";

describeDialects("aggregateRuns", (dialect) => {
  const fresh = useTempStores("aggruns", dialect);

  async function sweep() {
    const { store } = await fresh();
    const accs: Record<string, number[]> = {
      "0.1/a": [0.5, 0.7, 0.9],
      "0.01/a": [0.8, 0.8],
      "0.1/b": [0.2, Number.NaN],
    };
    for (const [k, values] of Object.entries(accs)) {
      const [lr, model] = k.split("/");
      for (const [seed, acc] of values.entries()) {
        const run = await store.startRun({ experiment: "sweep", params: { lr: Number(lr), model }, seed });
        await run.logMetrics({ acc, loss: 1 - acc });
        await run.finish();
      }
    }
    const other = await store.startRun({ experiment: "other", params: { lr: 0.1, model: "a" } });
    await other.logMetrics({ acc: 100 });
    await other.finish();
    const noMetric = await store.startRun({ experiment: "sweep", params: { model: "c" } });
    await noMetric.finish();
    return store;
  }

  it("aggregates a metric over seeds, grouped by two params in key order", async () => {
    const store = await sweep();
    const r = await store.aggregateRuns({
      experiment: "sweep",
      metrics: ["metrics.acc"],
      groupBy: ["params.lr", "params.model"],
      percentiles: [50, 95],
    });
    expect(r.groupBy).toEqual(["params.lr", "params.model"]);
    expect(r.groups.map((g) => [g.key, g.runs])).toEqual([
      [{ "params.lr": 0.01, "params.model": "a" }, 2],
      [{ "params.lr": 0.1, "params.model": "a" }, 3],
      [{ "params.lr": 0.1, "params.model": "b" }, 2],
      [{ "params.lr": null, "params.model": "c" }, 1],
    ]);
    const a = r.groups[1]!.metrics.acc!;
    // 0.5 0.7 0.9: mean 0.7, sample variance (ddof 1, as pandas) 0.08 / 2; numpy p95 = 0.88
    expect(a.count).toBe(3);
    expect(a.mean).toBeCloseTo(0.7, 15);
    expect(a.ddof).toBe(1);
    expect(a.variance).toBeCloseTo(0.08 / 2, 15);
    expect(a.stdDev).toBeCloseTo(0.2, 15);
    expect(a.min).toBe(0.5);
    expect(a.max).toBe(0.9);
    expect(a.percentiles!.p50).toBe(0.7);
    expect(a.percentiles!.p95).toBeCloseTo(0.88, 14);
    expect(a.histogram).toBeUndefined();
    expect(r.groups[2]!.metrics.acc).toMatchObject({ count: 1, nanCount: 1, mean: 0.2, stdDev: null });
    // 0.8 twice: std 0 exactly
    expect(r.groups[0]!.metrics.acc).toMatchObject({ count: 2, stdDev: 0, variance: 0 });
    expect(r.groups[3]!.metrics.acc).toMatchObject({ count: 0, mean: null });
  });

  it("aggregates every run of the workspace in one group, with chosen fields", async () => {
    const store = await sweep();
    const r = await store.aggregateRuns({
      metrics: ["acc", "loss"],
      fields: ["count", "max", "histogram"],
      bins: 2,
    });
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]!.key).toEqual({});
    expect(r.groups[0]!.runs).toBe(9);
    expect(r.groups[0]!.metrics.acc).toEqual({
      count: 7,
      max: 100,
      histogram: { edges: [0.2, 50.1, 100], counts: [6, 1] },
    });
    expect(r.groups[0]!.metrics.loss!.count).toBe(6); // "other" logs no loss; one NaN
  });

  it("keeps only runs matching a filter", async () => {
    const store = await sweep();
    const r = await store.aggregateRuns({
      experiment: "sweep",
      filter: 'params.model = "a" and metrics.acc > 0.6',
      metrics: ["acc"],
      groupBy: "params.lr",
      fields: ["count", "mean"],
    });
    expect(r.groups).toEqual([
      { key: { "params.lr": 0.01 }, runs: 2, metrics: { acc: { count: 2, mean: 0.8 } } },
      { key: { "params.lr": 0.1 }, runs: 2, metrics: { acc: { count: 2, mean: 0.8 } } },
    ]);
    const byTag = await store.aggregateRuns({
      metrics: ["acc"],
      groupBy: ["status"],
      filter: { "params.model": "b" },
      fields: ["count"],
    });
    expect(byTag.groups).toEqual([{ key: { status: "success" }, runs: 2, metrics: { acc: { count: 1 } } }]);
  });

  it("groups by status and experiment, and names bad options", async () => {
    const store = await sweep();
    const r = await store.aggregateRuns({ metrics: ["acc"], groupBy: "experiment", fields: ["mean"] });
    expect(r.groups.map((g) => g.key.experiment)).toEqual(["other:0.1.0", "sweep:0.1.0"]);
    await expect(store.aggregateRuns({ metrics: [] })).rejects.toThrow(
      /^metrics: must name at least one metric/,
    );
    await expect(store.aggregateRuns({} as never)).rejects.toThrow(/^metrics: is required/);
    await expect(store.aggregateRuns({ metrics: ["acc"], groupBy: "item.x" })).rejects.toThrow(
      /^groupBy: must be a run field/,
    );
    await expect(
      store.aggregateRuns({ metrics: ["acc"], fields: ["distribution" as never] }),
    ).rejects.toThrow(/^fields:/);
  });
});
