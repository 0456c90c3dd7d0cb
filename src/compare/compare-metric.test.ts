import { describe, expect, it } from "vitest";
import { compareMetric } from "./compare-metric.js";
import { alignDatapoints, pairValues } from "./pairing.js";
import type { MetricSpec } from "./types.js";

const spec: MetricSpec = { name: "s", kind: "range", direction: "higher", compareBy: "value" };
const opts = { aggregate: "average" as const, alpha: 0.05, seed: 1, idLimit: 2 };

function compare(newValues: number[], oldValues: number[], s: MetricSpec = spec) {
  const ids = newValues.map((_, i) => `d${i}`);
  const a = alignDatapoints(ids, ids);
  const side = (v: number[]) => ({ values: Float64Array.from(v), present: new Uint8Array(v.length).fill(1) });
  return compareMetric(s, pairValues(a, side(newValues), side(oldValues)), a.commonIds, opts);
}

describe("compareMetric", () => {
  it("counts improved / degraded / same, caps the id lists, keeps full counts", () => {
    const m = compare([2, 2, 2, 0, 1, Infinity], [1, 1, 1, 1, 1, Infinity]);
    expect(m).toMatchObject({ improvedCount: 3, degradedCount: 1, sameCount: 2, foundCount: 6 });
    expect(m.improved).toEqual(["d0", "d1"]);
    expect(m.degraded).toEqual(["d3"]);
  });

  it("is direction-aware: for a lower-is-better metric a drop improves", () => {
    const m = compare([1, 1, 1], [2, 2, 2], { ...spec, direction: "lower" });
    expect(m).toMatchObject({ improvedCount: 3, degradedCount: 0, delta: -1 });
  });

  it("judges the way of a significant change by the test's own measure", () => {
    // 12 small gains and nothing else: the permutation test sees a higher mean.
    const up = compare(Array(12).fill(1.1), Array(12).fill(1));
    expect(up).toMatchObject({ significant: true, change: "improved" });
    expect(up.test?.pValue).toBeCloseTo(2 / 4096, 12);
    expect(compare(Array(12).fill(1), Array(12).fill(1.1), { ...spec, direction: "lower" }).change).toBe(
      "improved",
    );
    // Not significant: no change, whatever the delta.
    expect(compare([1.1, 1], [1, 1.1]).change).toBe("none");
  });

  it("gives nulls without pairs", () => {
    const m = compare([], []);
    expect(m).toMatchObject({ foundCount: 0, delta: null, effectSize: null, significant: false });
    expect(m.test).toEqual({ name: "none", statistic: null, pValue: null });
    expect(m.ci).toMatchObject({ low: null, high: null });
  });
});
