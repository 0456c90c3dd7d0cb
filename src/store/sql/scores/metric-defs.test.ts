import { expect, it } from "vitest";
import type { MetricDefinitionInput } from "../../../scores/definitions.js";
import { describeDialects, useTempStores } from "../test-support/temp-store.js";

describeDialects("metric definitions", (dialect) => {
  const fresh = useTempStores("defs", dialect);

  it("upserts per experiment version and lists by name", async () => {
    const { store } = await fresh();
    await store.createExperiment({ name: "qa", version: "1.0.0" });
    await store.createExperiment({ name: "qa", version: "1.1.0" });
    const acc = await store.defineMetric("qa", { name: "acc", kind: "range", threshold: { min: 0.5 } });
    expect(acc).toEqual({
      experimentId: "qa:1.1.0",
      name: "acc",
      kind: "range",
      direction: "higher",
      threshold: { min: 0.5 },
      categories: null,
    });
    await store.defineMetric("qa:1.1.0", { name: "acc", kind: "range", direction: "lower", threshold: {} });
    await store.defineMetric("qa:1.1.0", {
      name: "grade",
      kind: "rubric",
      categories: ["good", "ok", "bad"],
      threshold: { passingCategories: ["good", "ok"] },
    });
    await store.defineMetric("qa:1.0.0", { name: "old", kind: "range" });
    const defs = await store.getMetricDefinitions("qa");
    expect(defs.map((d) => [d.name, d.direction, d.threshold])).toEqual([
      ["acc", "lower", null],
      ["grade", "higher", { passingCategories: ["good", "ok"] }],
    ]);
    expect(defs[1]!.categories).toEqual(["good", "ok", "bad"]);
    expect((await store.getMetricDefinitions("qa:1.0.0")).map((d) => d.name)).toEqual(["old"]);
  });

  it("refuses bad definitions with the field and the rule", async () => {
    const { store } = await fresh();
    await store.createExperiment({ name: "qa" });
    const bad: [MetricDefinitionInput, RegExp][] = [
      [{ name: "", kind: "range" }, /^name: must be a non-empty string/],
      [{ name: "a", kind: "ordinal" as "range" }, /^kind: must be "range" or "rubric"/],
      [{ name: "a", kind: "range", direction: "up" as "higher" }, /^direction: must be "higher" or "lower"/],
      [
        { name: "a", kind: "range", threshold: { min: 2, max: 1 } },
        /^threshold: min \(2\) must not exceed max \(1\)/,
      ],
      [{ name: "a", kind: "range", threshold: { min: Number.NaN } }, /^threshold\.min: must be a number/],
      [
        { name: "a", kind: "range", threshold: { passingCategories: ["x"] } },
        /passingCategories: applies to rubric/,
      ],
      [
        { name: "a", kind: "rubric", threshold: { max: 1 } },
        /^threshold\.max: applies to range metrics only/,
      ],
      [
        { name: "a", kind: "rubric", threshold: { passWhen: true } },
        /^threshold\.passWhen: applies to boolean/,
      ],
      [{ name: "a", kind: "range", categories: ["x"] }, /^categories: apply to rubric metrics only/],
      [{ name: "a", kind: "rubric", categories: ["x", "x"] }, /^categories: must not repeat/],
      [
        { name: "a", kind: "rubric", categories: ["x"], threshold: { passingCategories: ["y"] } },
        /^threshold\.passingCategories: must be among the categories; received "y"/,
      ],
      [
        { name: "a", kind: "range", threshold: { minimum: 1 } as never },
        /^threshold\.minimum: is not a field of a threshold \(min, max, passWhen, passingCategories\)/,
      ],
    ];
    for (const [def, message] of bad) {
      const err = await store.defineMetric("qa", def).catch((e) => e);
      expect(err.code, JSON.stringify(def)).toBe("INVALID_ARGUMENT");
      expect(err.message).toMatch(message);
    }
    expect((await store.defineMetric("nope", { name: "a", kind: "range" }).catch((e) => e)).code).toBe(
      "NOT_FOUND",
    );
    expect(await store.getMetricDefinitions("qa")).toEqual([]);
  });
});
