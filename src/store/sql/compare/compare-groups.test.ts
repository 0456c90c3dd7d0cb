import { afterAll, beforeAll, expect, it } from "vitest";
import { compareWith } from "../../../compare/compare-with.js";
import type { SqlStore } from "../sql-store.js";
import { describeDialects, type TempStore, tempStore } from "../test-support/temp-store.js";

describeDialects("compareGroups", (dialect) => {
  // R's `sleep` data as two groups of 10 "seeds"; R's Welch t.test: t = -1.8608, df = 17.776,
  // p-value = 0.07939, 95% CI -3.3654832 0.2054832.
  const g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
  const g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

  let t: TempStore;
  let store: SqlStore;
  beforeAll(async () => {
    t = await tempStore("groups", dialect);
    store = t.store;
    for (const [drug, values] of [
      ["one", g1],
      ["two", g2],
    ] as const) {
      for (const [seed, extra] of values.entries()) {
        const r = await store.startRun({ experiment: "sleep:1.0.0", params: { drug, seed } });
        await r.logMetrics({ extra, other: drug === "one" && seed === 0 ? Number.NaN : seed });
        await r.finish();
      }
    }
  });
  afterAll(() => t.close());

  it("reproduces R's Welch t-test over two groups of runs chosen by filters", async () => {
    const r = await store.compareGroups(
      'params.drug = "one"',
      { "params.drug": "two" },
      { metrics: ["metrics.extra", "other"] },
    );
    expect(r).toMatchObject({ runsA: 10, runsB: 10, alpha: 0.05 });
    const m = r.metrics.extra!;
    expect(m.a).toMatchObject({ n: 10, nanCount: 0 });
    expect(m.a.mean).toBeCloseTo(0.75, 12);
    expect(m.b.mean).toBeCloseTo(2.33, 12);
    expect(m.delta).toBeCloseTo(-1.58, 12);
    expect(m.test.statistic).toBeCloseTo(-1.8608134674868526, 9);
    expect(m.test.df).toBeCloseTo(17.776473516178488, 9);
    expect(m.test.pValue).toBeCloseTo(0.0793941401873583, 9);
    expect(m.ci.low).toBeCloseTo(-3.3654832307117104, 8);
    expect(m.ci.high).toBeCloseTo(0.20548323071171137, 8);
    expect(m.significant).toBe(false);
    // NaN left out and counted.
    expect(r.metrics.other?.a).toMatchObject({ n: 9, nanCount: 1 });
  });

  it("the CI level follows alpha; empty groups give null figures; bad options are named", async () => {
    const r = await store.compareGroups('params.drug = "one"', 'params.drug = "two"', {
      metrics: ["extra"],
      alpha: 0.1,
    });
    expect(r.metrics.extra?.ci.level).toBeCloseTo(0.9, 12);
    expect(r.metrics.extra?.significant).toBe(true);
    const none = await store.compareGroups('params.drug = "three"', 'params.drug = "two"', {
      metrics: ["extra"],
    });
    expect(none.runsA).toBe(0);
    expect(none.metrics.extra).toMatchObject({ delta: null, test: { pValue: null } });
    await expect(store.compareGroups("", "", { metrics: [] })).rejects.toThrow(
      /metrics: must be a non-empty array/,
    );
    await expect(store.compareGroups("params.drug = ", "", { metrics: ["extra"] })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });

  it("compareWith takes a run id, a run, or results of exactly one run", async () => {
    const [a, b] = await store.listRuns({ limit: 2 });
    const r = await compareWith(store, a!.runId, b!);
    expect(r).toMatchObject({
      newRunId: a!.runId,
      oldRunId: b!.runId,
      commonDatapoints: 0,
      verdict: "inconclusive",
    });
    expect((await compareWith(store, { runs: [a!] }, b!.runId)).oldRunId).toBe(b!.runId);
    await expect(compareWith(store, a!.runId, {} as { runId: string })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      field: "other",
    });
    await expect(compareWith(store, { runs: [a!, b!] }, b!)).rejects.toThrow(
      /self: must hold exactly one run/,
    );
  });
});
