import { expect, it } from "vitest";
import { describeDialects, useTempStores } from "../test-support/temp-store.js";

describeDialects("defineComposite", (dialect) => {
  const fresh = useTempStores("composite", dialect);

  it("stores, replaces and lists composites of an experiment version", async () => {
    const { store } = await fresh();
    await store.createExperiment({ name: "qa" });
    await store.defineMetric("qa", { name: "correct", kind: "range" });
    const run = await store.startRun({ experiment: "qa" });
    await run.logMetrics({ cost: 3 });
    await run.logRows([{ datapointId: "a", scores: { fluency: 1, correct: 0 } }]);
    await run.finish();
    const def = await store.defineComposite("qa", {
      name: "overall",
      expression: "0.7 * scores.correct + 0.3 * scores.fluency",
    });
    expect(def).toEqual({
      experimentId: "qa:0.1.0",
      name: "overall",
      expression: "0.7 * scores.correct + 0.3 * scores.fluency",
    });
    await store.defineComposite("qa", {
      name: "overall",
      expression: "max(scores.correct, scores.fluency) - metrics.cost",
    });
    await store.defineComposite("qa", { name: "a", expression: "abs(scores.correct)" });
    expect(await store.getCompositeDefinitions("qa")).toEqual([
      { experimentId: "qa:0.1.0", name: "a", expression: "abs(scores.correct)" },
      {
        experimentId: "qa:0.1.0",
        name: "overall",
        expression: "max(scores.correct, scores.fluency) - metrics.cost",
      },
    ]);
  });

  it("reports unknown scores and metrics, syntax errors with position, and unknown experiments", async () => {
    const { store } = await fresh();
    await store.createExperiment({ name: "qa" });
    await store.defineMetric("qa", { name: "correct", kind: "range" });
    await expect(store.defineComposite("qa", { name: "x", expression: "scores.corect * 2" })).rejects.toThrow(
      /^expression: unknown score "corect" \(scores.corect\): no metric definition or run of qa:0.1.0 has it/,
    );
    await expect(store.defineComposite("qa", { name: "x", expression: "metrics.acc" })).rejects.toMatchObject(
      {
        code: "INVALID_ARGUMENT",
        details: { name: "acc", namespace: "metrics" },
      },
    );
    await expect(
      store.defineComposite("qa", { name: "x", expression: "scores.correct *" }),
    ).rejects.toMatchObject({
      details: { position: 17 },
    });
    await expect(store.defineComposite("nope", { name: "x", expression: "1" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(store.defineComposite("qa", { name: "", expression: "1" })).rejects.toThrow(
      /^name: must be a non-empty string/,
    );
  });
});
