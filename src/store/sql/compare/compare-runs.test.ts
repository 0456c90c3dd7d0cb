import { expect, it } from "vitest";
import type { RowInput } from "../../../core/types.js";
import { createRng } from "../../../stats/prng.js";
import type { SqlStore } from "../sql-store.js";
import { describeDialects, useTempStores } from "../test-support/temp-store.js";

describeDialects("compareRuns", (dialect) => {
  const fresh = useTempStores("compare", dialect);

  async function run(store: SqlStore, rows: RowInput[], experiment = "qa:1.0.0"): Promise<string> {
    const r = await store.startRun({ experiment });
    await r.logRows(rows);
    await r.finish();
    return r.runId;
  }

  const ids = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => `d${String(i + from).padStart(3, "0")}`);

  it("disjoint runs: no common datapoint, inconclusive", async () => {
    const { store } = await fresh();
    const a = await run(
      store,
      ids(20).map((d) => ({ datapointId: d, scores: { acc: 1 } })),
    );
    const b = await run(
      store,
      ids(20, 100).map((d) => ({ datapointId: d, scores: { acc: 0 } })),
    );
    const r = await store.compareRuns(b, a, { includeIds: true, idLimit: 3 });
    expect(r).toMatchObject({ commonDatapoints: 0, newOnly: 20, oldOnly: 20, verdict: "inconclusive" });
    expect(r.newOnlyIds).toEqual(["d100", "d101", "d102"]);
    expect(r.oldOnlyIds).toEqual(["d000", "d001", "d002"]);
    expect(r.metrics.acc).toMatchObject({ foundCount: 0, missingCount: 0, oldAggregate: null, delta: null });
    expect(r.metrics.acc?.test?.pValue).toBeNull();
    expect(r.reasons[0]).toContain("0 paired datapoints");
  });

  it("partly overlapping runs pair the common datapoints only; 0/1 scores use McNemar", async () => {
    const { store } = await fresh();
    // old: d000-d039 all correct; new: d010-d059, d010-d021 wrong (12 degraded), the rest correct.
    const old = await run(
      store,
      ids(40).map((d) => ({ datapointId: d, scores: { correct: true } })),
    );
    const neu = await run(
      store,
      ids(50, 10).map((d, i) => ({ datapointId: d, scores: { correct: i >= 12 } })),
    );
    const r = await store.compareRuns(neu, old, { idLimit: 5 });
    expect(r).toMatchObject({ commonDatapoints: 30, newOnly: 20, oldOnly: 10 });
    expect(r.newOnlyIds).toBeUndefined();
    const m = r.metrics.correct!;
    expect(m).toMatchObject({ foundCount: 30, improvedCount: 0, degradedCount: 12, sameCount: 18 });
    expect(m.degraded).toEqual(["d010", "d011", "d012", "d013", "d014"]);
    expect(m.oldAggregate).toBe(1);
    expect(m.newAggregate).toBeCloseTo(18 / 30, 12);
    // 12 discordant pairs, all one way: exact p = 2 / 2^12.
    expect(m.test).toEqual({ name: "mcnemar-exact", statistic: 0, pValue: 2 / 4096 });
    expect(m.change).toBe("degraded");
    expect(r.degradedMetrics).toEqual(["correct"]);
    expect(r.verdict).toBe("block");
    expect(r.reasons[0]).toMatch(/^correct: degraded significantly/);
  });

  it("averages repeated trials per datapoint before pairing", async () => {
    const { store } = await fresh();
    const old = await run(
      store,
      ids(12).map((d) => ({ datapointId: d, scores: { s: 0.5 } })),
    );
    const rows: RowInput[] = ids(12).flatMap((d) => [
      { datapointId: d, trial: 0, scores: { s: 0.4 } },
      { datapointId: d, trial: 1, scores: { s: 0.8 } },
      { datapointId: d, trial: 2, scores: { s: 0.9 } },
    ]);
    const neu = await run(store, rows);
    const m = (await store.compareRuns(neu, old)).metrics.s!;
    expect(m.foundCount).toBe(12);
    expect(m.newAggregate).toBeCloseTo(0.7, 12);
    expect(m.delta).toBeCloseTo(0.2, 12);
    expect(m.improvedCount).toBe(12);
    // 12 equal positive deltas: exact permutation, only the all-plus/all-minus patterns reach it.
    expect(m.test).toMatchObject({ name: "permutation-exact", pValue: 2 / 4096 });
    expect(m.ci?.low).toBeCloseTo(0.2, 12);
    expect(m.effectSize).toBeNull(); // all deltas equal: d_z unbounded
  });

  it("NaN scores are excluded from the pairs and counted; a missing score is counted apart", async () => {
    const { store } = await fresh();
    const old = await run(
      store,
      ids(15).map(
        (d, i): RowInput => ({ datapointId: d, scores: i === 0 ? {} : { s: i === 1 ? Number.NaN : 1 } }),
      ),
    );
    const neu = await run(
      store,
      ids(15).map((d, i) => ({ datapointId: d, scores: { s: i === 2 ? Number.NaN : 1 } })),
    );
    const m = (await store.compareRuns(neu, old)).metrics.s!;
    expect(m).toMatchObject({ foundCount: 12, nanCount: 2, missingCount: 1, sameCount: 12, delta: 0 });
    expect(m.test?.pValue).toBe(1);
  });

  it("a trial that is NaN is left out of its datapoint's mean", async () => {
    const { store } = await fresh();
    const old = await run(
      store,
      ids(10).map((d) => ({ datapointId: d, scores: { s: 1 } })),
    );
    const neu = await run(
      store,
      ids(10).flatMap((d) => [
        { datapointId: d, trial: 0, scores: { s: Number.NaN } },
        { datapointId: d, trial: 1, scores: { s: 1 } },
      ]),
    );
    expect((await store.compareRuns(neu, old)).metrics.s).toMatchObject({
      foundCount: 10,
      nanCount: 0,
      sameCount: 10,
    });
  });

  it("lower-is-better metrics improve when they drop (defineMetric)", async () => {
    const { store } = await fresh();
    await store.createExperiment({ name: "lat", version: "1.0.0" });
    await store.defineMetric("lat", { name: "latency", kind: "range", direction: "lower" });
    const rnd = createRng(3);
    const base = ids(30).map(() => 100 + rnd() * 50);
    const old = await run(
      store,
      ids(30).map((d, i) => ({ datapointId: d, scores: { latency: base[i]! } })),
      "lat:1.0.0",
    );
    const neu = await run(
      store,
      ids(30).map((d, i) => ({ datapointId: d, scores: { latency: base[i]! - 10 - rnd() } })),
      "lat:1.0.0",
    );
    const r = await store.compareRuns(neu, old);
    const m = r.metrics.latency!;
    expect(m).toMatchObject({ direction: "lower", improvedCount: 30, degradedCount: 0, change: "improved" });
    expect(m.delta!).toBeLessThan(-10);
    expect(m.test?.name).toBe("permutation-sampled");
    expect(r.improvedMetrics).toEqual(["latency"]);
    expect(r.verdict).toBe("pass");
    // Swapped, the same change is a degradation of 10+ ms: block.
    const back = await store.compareRuns(old, neu);
    expect(back.metrics.latency).toMatchObject({ improvedCount: 0, degradedCount: 30, change: "degraded" });
    expect(back.verdict).toBe("block");
    // A tolerated drop of 20 ms only warns.
    expect((await store.compareRuns(old, neu, { maxDrop: 20 })).verdict).toBe("warn");
  });

  it("a boolean with passWhen: false compares by passing (true -> false improves)", async () => {
    const { store } = await fresh();
    await store.createExperiment({ name: "safety", version: "1.0.0" });
    await store.defineMetric("safety", { name: "unsafe", kind: "range", threshold: { passWhen: false } });
    const old = await run(
      store,
      ids(20).map((d) => ({ datapointId: d, scores: { unsafe: true } })),
      "safety:1.0.0",
    );
    const neu = await run(
      store,
      ids(20).map((d, i) => ({
        datapointId: d,
        scores: { unsafe: i < 12 ? false : i === 19 ? Number.NaN : true },
      })),
      "safety:1.0.0",
    );
    const r = await store.compareRuns(neu, old);
    expect(r.metrics.unsafe).toMatchObject({
      compareBy: "pass",
      direction: "higher",
      improvedCount: 12,
      nanCount: 1,
    });
    expect(r.metrics.unsafe?.oldAggregate).toBe(0);
    expect(r.metrics.unsafe?.test).toEqual({ name: "mcnemar-exact", statistic: 0, pValue: 2 / 4096 });
    expect(r).toMatchObject({ improvedMetrics: ["unsafe"], verdict: "pass" });
  });

  it("rubric by passing categories (McNemar) and by category order (sign test)", async () => {
    const { store } = await fresh();
    await store.createExperiment({ name: "judge", version: "1.0.0" });
    await store.defineMetric("judge", {
      name: "verdict",
      kind: "rubric",
      categories: ["bad", "ok", "good"],
      threshold: { passingCategories: ["ok", "good"] },
    });
    await store.defineMetric("judge", { name: "style", kind: "rubric", categories: ["bad", "ok", "good"] });
    const oldCats = ids(20).map((_, i) => (i < 10 ? "ok" : "good"));
    // new: the 10 "ok" become "good" (better, still passing); 2 "good" become "bad" (fail).
    const newCats = ids(20).map((_, i) => (i < 10 ? "good" : i < 12 ? "bad" : "good"));
    const rows = (cats: string[]) =>
      ids(20).map((d, i) => ({
        datapointId: d,
        scores: { verdict: cats[i]!, style: cats[i]!, tone: cats[i]! },
      }));
    const old = await run(store, rows(oldCats), "judge:1.0.0");
    const neu = await run(store, rows(newCats), "judge:1.0.0");
    const r = await store.compareRuns(neu, old);
    const v = r.metrics.verdict!;
    expect(v).toMatchObject({ compareBy: "pass", improvedCount: 0, degradedCount: 2, sameCount: 18 });
    expect(v.test).toEqual({ name: "mcnemar-exact", statistic: 0, pValue: 0.5 });
    expect(v.oldAggregate).toBe(1);
    expect(v.newAggregate).toBeCloseTo(0.9, 12);
    const s = r.metrics.style!;
    expect(s).toMatchObject({ compareBy: "order", improvedCount: 10, degradedCount: 2, sameCount: 8 });
    // Sign test: 10 up, 2 down; scipy binomtest(2, 12).pvalue = 0.03857421875.
    expect(s.test).toMatchObject({ name: "sign-exact", statistic: 10 });
    expect(s.test?.pValue).toBeCloseTo(0.03857421875, 12);
    expect(s.change).toBe("improved");
    // An undefined string score compares by category only.
    expect(r.metrics.tone).toMatchObject({
      compareBy: "category",
      sameCount: 8,
      changedCount: 12,
      test: null,
    });
    expect(r.improvedMetrics).toEqual(["style"]);
    expect(r.verdict).toBe("pass");
  });

  it("is deterministic for a seed; options and unknown runs are checked", async () => {
    const { store } = await fresh();
    const rnd = createRng(8);
    const old = await run(
      store,
      ids(60).map((d) => ({ datapointId: d, scores: { f1: rnd() } })),
    );
    const neu = await run(
      store,
      ids(60).map((d) => ({ datapointId: d, scores: { f1: rnd() } })),
    );
    const a = await store.compareRuns(neu, old, { seed: 5 });
    expect(await store.compareRuns(neu, old, { seed: 5 })).toEqual(a);
    expect((await store.compareRuns(neu, old, { seed: 6 })).metrics.f1?.ci).not.toEqual(a.metrics.f1?.ci);
    expect(a.metrics.f1?.test?.name).toBe("permutation-sampled");
    await expect(store.compareRuns(neu, "nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(store.compareRuns(neu, old, { alpha: 2 })).rejects.toThrow(
      /alpha: must be a number in \(0, 1\)/,
    );
    await expect(store.compareRuns(neu, old, { metrics: ["zzz"] })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });
});
