import { describe, expect, it } from "vitest";
import type { MetricComparison } from "./types.js";
import { verdictOf } from "./verdict.js";

function metric(over: Partial<MetricComparison>): MetricComparison {
  return {
    name: "m",
    kind: "range",
    direction: "higher",
    compareBy: "value",
    aggregate: "average",
    oldAggregate: 0.8,
    newAggregate: 0.8,
    delta: 0,
    foundCount: 100,
    nanCount: 0,
    missingCount: 0,
    improvedCount: 0,
    degradedCount: 0,
    sameCount: 100,
    improved: [],
    degraded: [],
    test: { name: "permutation-normal", statistic: 0, pValue: 1 },
    ci: null,
    effectSize: null,
    significant: false,
    change: "none",
    ...over,
  };
}
const opts = { alpha: 0.05, maxDrop: 0.01 };
const degraded = (delta: number, direction: "higher" | "lower" = "higher") =>
  metric({
    name: "acc",
    delta,
    direction,
    significant: true,
    change: "degraded",
    test: { name: "t", statistic: delta, pValue: 0.001 },
  });

describe("verdictOf", () => {
  it("pass when nothing degrades significantly and every metric has enough pairs", () => {
    expect(verdictOf([metric({})], opts)).toEqual({
      verdict: "pass",
      improvedMetrics: [],
      degradedMetrics: [],
      reasons: [],
    });
  });

  it("block beyond maxDrop, warn within it (direction-aware)", () => {
    expect(verdictOf([degraded(-0.02)], opts).verdict).toBe("block");
    expect(verdictOf([degraded(-0.005)], opts).verdict).toBe("warn");
    expect(verdictOf([degraded(-0.01)], opts).verdict).toBe("warn"); // equal to maxDrop is tolerated
    expect(verdictOf([degraded(0.02, "lower")], opts).verdict).toBe("block");
    expect(verdictOf([degraded(0.005, "lower")], opts).verdict).toBe("warn");
    const r = verdictOf(
      [degraded(-0.02), metric({ name: "f1", change: "improved", significant: true })],
      opts,
    );
    expect(r).toMatchObject({ verdict: "block", degradedMetrics: ["acc"], improvedMetrics: ["f1"] });
    expect(r.reasons).toEqual([
      "acc: degraded significantly (p = 0.001), average dropped by 0.02 > maxDrop 0.01",
    ]);
  });

  it("inconclusive with too few pairs or nothing to compare; a block still wins", () => {
    expect(verdictOf([metric({ foundCount: 9 })], opts).verdict).toBe("inconclusive");
    expect(verdictOf([metric({ foundCount: 9 })], { ...opts, minPairs: 5 }).verdict).toBe("pass");
    expect(verdictOf([], opts)).toMatchObject({
      verdict: "inconclusive",
      reasons: ["no metric could be compared"],
    });
    expect(verdictOf([metric({ test: null, compareBy: "category" })], opts).verdict).toBe("inconclusive");
    expect(verdictOf([metric({ foundCount: 3 }), degraded(-0.5)], opts).verdict).toBe("block");
  });
});
