import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sameValue } from "./filter.js";
import { Results } from "./results.js";
import { type Fixture, sweepFixture } from "./test-support/fixture.js";

let fx: Fixture;
let results: Results;
beforeAll(async () => {
  fx = await sweepFixture();
  results = await Results.fromStore(fx.store);
});
afterAll(async () => fx.cleanup());

const lrs = (r: Results) => r.runs.map((x) => x.params.lr);

describe("filter", () => {
  it("by status, one or several", () => {
    expect(results.filter({ status: "success" }).length).toBe(5);
    expect(results.filter({ status: ["failed", "cancelled"] }).length).toBe(2);
  });

  it("by tags: a list needs every key; a record needs the values", () => {
    expect(results.filter({ tags: ["baseline"] }).length).toBe(2);
    expect(results.filter({ tags: ["baseline", "fast"] }).length).toBe(2);
    expect(results.filter({ tags: ["baseline", "stage"] }).length).toBe(0);
    expect(results.filter({ tags: { stage: "dev" } }).length).toBe(2);
    expect(results.filter({ tags: { stage: "prod" } }).length).toBe(0);
    expect(results.filter({ tags: ["stage"] }).length).toBe(2);
  });

  it("params and metrics each in their own namespace", () => {
    // `acc` is a metric, not a param; `lr` a param, not a metric.
    expect(results.filter({ params: { acc: 0.5 } }).length).toBe(0);
    expect(results.filter({ metrics: { lr: 0.1 } }).length).toBe(0);
    expect(lrs(results.filter({ params: { lr: 0.1 } }))).toEqual([0.1, 0.1]);
    expect(results.filter({ metrics: { acc: 0.5 } }).length).toBe(1);
  });

  it("dotted param paths, nested values by content, NaN equals NaN, predicates", () => {
    expect(results.filter({ params: { "model.kind": "linear" } }).length).toBe(4);
    expect(results.filter({ params: { model: { layers: [4, 2], kind: "linear" } } }).length).toBe(4);
    expect(results.filter({ params: { "model.layers": [2, 4] } }).length).toBe(0);
    expect(results.filter({ metrics: { odd: Number.NaN } }).length).toBe(1);
    expect(results.filter({ metrics: { acc: (v) => v > 0.65 } }).length).toBe(2);
    expect(lrs(results.filter({ params: { lr: (v) => v >= 0.5 } }))).toEqual([1, 0.5]);
    // A predicate is not called for a run without the field.
    expect(results.filter({ params: { note: (v) => v === undefined } }).length).toBe(0);
  });

  it("chains, and accepts a predicate over the run", () => {
    const chained = results
      .filter({ status: "success" })
      .filter({ params: { seed: 1 } })
      .filter({ tags: ["stage"] });
    expect(chained.length).toBe(2);
    expect(chained.filter({ params: { lr: 0.01 } }).length).toBe(1);
    expect(results.filter((run) => run.experimentId === "other:0.1.0").length).toBe(1);
    expect(results.successful.filter({ metrics: { acc: (v) => v < 0.6 } }).failed.length).toBe(0);
  });

  it("refuses unknown criteria and statuses, naming the field", () => {
    expect(() => results.filter({ param: { lr: 1 } } as never)).toThrow(
      /filter\.param: is not a filter field/,
    );
    expect(() => results.filter({ status: "done" as never })).toThrow(/filter\.status/);
    expect(() => results.filter({ params: 3 as never })).toThrow(/filter\.params/);
  });

  it("sameValue", () => {
    expect(sameValue(0, -0)).toBe(true);
    expect(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameValue("1", 1)).toBe(false);
    expect(sameValue(null, null)).toBe(true);
  });
});
