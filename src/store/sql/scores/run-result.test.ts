import { expect, it } from "vitest";
import { describeDialects, useTempStores } from "../test-support/temp-store.js";

describeDialects("runResult", (dialect) => {
  const fresh = useTempStores("result", dialect);

  async function fixture(finish = true) {
    const { store } = await fresh();
    await store.createExperiment({ name: "qa" });
    await store.defineMetric("qa", { name: "acc", kind: "range", threshold: { min: 0.5 } });
    await store.defineMetric("qa", {
      name: "latency",
      kind: "range",
      direction: "lower",
      threshold: { max: 100 },
    });
    await store.defineMetric("qa", { name: "exact", kind: "range", threshold: { passWhen: true } });
    await store.defineMetric("qa", {
      name: "tone",
      kind: "rubric",
      categories: ["good", "ok", "bad"],
      threshold: { passingCategories: ["good", "ok"] },
    });
    const run = await store.startRun({ experiment: "qa" });
    await run.logMetrics({ bonus: 2 });
    await run.logRows([
      { datapointId: "q1", scores: { acc: 0.9, latency: 50, exact: true, tone: "good", fluency: 1 } },
      { datapointId: "q2", scores: { acc: 0.4, latency: 50, exact: true, tone: "good", fluency: 0 } },
      { datapointId: "q3", scores: { acc: 0.8, latency: 150, exact: false, tone: "bad", fluency: 0.5 } },
      { datapointId: "q4", trial: 0, scores: { acc: 0.6, latency: 10, exact: true, tone: "ok", fluency: 1 } },
      { datapointId: "q4", trial: 1, scores: { acc: 1.0, latency: 30, exact: true, tone: null, fluency: 0 } },
      { datapointId: "q5", scores: { acc: Number.NaN, latency: 20, exact: true, tone: "ok", fluency: 1 } },
    ]);
    if (finish) await run.finish();
    return { store, runId: run.runId, run };
  }

  it("judges rows against min, max, passWhen and passingCategories, per metric and per datapoint", async () => {
    const { store, runId } = await fixture();
    const r = await store.runResult(runId);
    expect(r).toMatchObject({
      runId,
      status: "success",
      success: false,
      passed: 2,
      failed: 3,
      passRate: 0.4,
      aggregate: "average",
    });
    // acc: 0.9 0.4 0.8 0.6 1.0 NaN -> NaN fails min; mean of non-NaN = 3.7 / 5
    expect(r.metrics.acc).toMatchObject({ kind: "range", count: 6, passed: 4, failed: 2 });
    expect(r.metrics.acc!.aggregate).toBeCloseTo(0.74, 14);
    expect(r.metrics.latency).toMatchObject({ aggregate: 310 / 6, count: 6, passed: 5, failed: 1 });
    expect(r.metrics.exact).toMatchObject({ aggregate: 5 / 6, passed: 5, failed: 1 });
    // null tone is not judged; no definition: no threshold
    expect(r.metrics.tone).toEqual({
      kind: "rubric",
      aggregate: null,
      count: 5,
      passed: 4,
      failed: 1,
      modeCategory: "good",
    });
    expect(r.metrics.fluency).toMatchObject({
      kind: "range",
      count: 6,
      passed: 0,
      failed: 0,
      aggregate: 3.5 / 6,
    });
    const dp = Object.fromEntries(r.datapoints.data.map((d) => [d.datapointId, d]));
    expect(dp.q1).toMatchObject({ passed: true, failedMetrics: [], trials: 1 });
    expect(dp.q2).toMatchObject({ passed: false, failedMetrics: ["acc"] });
    expect(dp.q3).toMatchObject({ passed: false, failedMetrics: ["exact", "latency", "tone"] });
    expect(dp.q4).toMatchObject({ passed: true, trials: 2, values: { acc: 0.8, latency: 20, fluency: 0.5 } });
    expect(dp.q5).toMatchObject({ passed: false, failedMetrics: ["acc"], values: { acc: null } });
  });

  it("succeeds only when the run finished and every datapoint passed", async () => {
    const { store, runId, run } = await fixture(false);
    await store.defineMetric("qa", { name: "acc", kind: "range" });
    await store.defineMetric("qa", { name: "latency", kind: "range" });
    await store.defineMetric("qa", { name: "exact", kind: "range" });
    await store.defineMetric("qa", { name: "tone", kind: "rubric" });
    const running = await store.runResult(runId);
    expect(running).toMatchObject({ status: "running", success: false, failed: 0, passed: 5, passRate: 1 });
    await run.finish();
    expect(await store.runResult(runId)).toMatchObject({ status: "success", success: true });
  });

  it("applies the headline aggregate function to metrics, trials and composites", async () => {
    const { store, runId } = await fixture();
    await store.defineComposite("qa", {
      name: "overall",
      expression: "0.5 * scores.acc + 0.5 * scores.fluency",
    });
    await store.defineComposite("qa", { name: "boosted", expression: "scores.fluency * metrics.bonus" });
    await store.defineComposite("qa", { name: "ratio", expression: "scores.acc / scores.fluency" });
    const avg = await store.runResult(runId);
    // per datapoint: q1 .95, q2 .2, q3 .65, q4 (0.8 + 0.5) / 2 = .65, q5 NaN (left out)
    expect(avg.composites.overall).toBeCloseTo((0.95 + 0.2 + 0.65 + 0.65) / 4, 14);
    expect(avg.composites.boosted).toBeCloseTo((2 + 0 + 1 + 1 + 2) / 5, 14);
    // q2 and q3... acc / 0 is NaN: only q1 (0.9), q3 (1.6), q4 (1.6) count
    expect(avg.composites.ratio).toBeCloseTo((0.9 + 1.6 + 1.6) / 3, 14);
    const q4 = avg.datapoints.data.find((d) => d.datapointId === "q4")!;
    expect(q4.values.overall).toBeCloseTo(0.65, 14);
    const q2 = avg.datapoints.data.find((d) => d.datapointId === "q2")!;
    expect(q2.values.ratio).toBeNull();
    const med = await store.runResult(runId, { aggregate: "median" });
    expect(med.aggregate).toBe("median");
    // acc non-NaN: 0.4 0.6 0.8 0.9 1.0 -> 0.8
    expect(med.metrics.acc!.aggregate).toBe(0.8);
    expect((await store.runResult(runId, { aggregate: "max" })).metrics.latency!.aggregate).toBe(150);
    expect((await store.runResult(runId, { aggregate: "sum" })).metrics.latency!.aggregate).toBe(310);
    expect((await store.runResult(runId, { aggregate: "min" })).composites.boosted).toBe(0);
  });

  it("pages datapoints and keeps one side on request", async () => {
    const { store, runId } = await fixture();
    const p2 = await store.runResult(runId, { page: 2, pageSize: 2 });
    expect(p2.datapoints.data.map((d) => d.datapointId)).toEqual(["q3", "q4"]);
    expect(p2.datapoints.pagination).toEqual({ page: 2, pageSize: 2, totalPages: 3, totalResults: 5 });
    const failed = await store.runResult(runId, { datapoints: "failed" });
    expect(failed.datapoints.data.map((d) => d.datapointId)).toEqual(["q2", "q3", "q5"]);
    expect(failed.failed).toBe(3);
    await expect(store.runResult(runId, { pageSize: 1001 })).rejects.toThrow(
      /^pageSize: must be a whole number from 1 to 1000/,
    );
    await expect(store.runResult(runId, { aggregate: "mean" as never })).rejects.toThrow(
      /^aggregate: must be one of average, sum, min, max, median/,
    );
  });
});
