import { describe, expect, it } from "vitest";
import { aggregateOf } from "./aggregate.js";
import { checkCompareOptions } from "./options.js";
import { alignDatapoints, averageByDatapoint, pairValues } from "./pairing.js";

describe("pairing", () => {
  it("aligns partly overlapping id lists", () => {
    const a = alignDatapoints(["a", "b", "c", "e"], ["b", "c", "d"]);
    expect(a.commonIds).toEqual(["b", "c"]);
    expect([...a.newIndex]).toEqual([1, 2]);
    expect([...a.oldIndex]).toEqual([0, 1]);
    expect(a.newOnly).toEqual([0, 3]);
    expect(a.oldOnly).toEqual([2]);
  });

  it("averages trials (NaN trials left out, all-NaN is NaN, unusable entries skipped)", () => {
    const v = averageByDatapoint(
      Int32Array.from([0, 0, 1, 2, 2, -1]),
      Float64Array.from([1, 0, Number.NaN, 5, 7, 9]),
      Uint8Array.from([1, 1, 1, 1, 0, 1]),
      4,
    );
    expect([...v.values]).toEqual([0.5, Number.NaN, 5, Number.NaN]);
    expect([...v.present]).toEqual([1, 1, 1, 0]);
  });

  it("pairs values, counting NaN and missing sides", () => {
    const a = alignDatapoints(["x", "y", "z", "w"], ["w", "z", "y", "x"]);
    const p = pairValues(
      a,
      { values: Float64Array.from([1, Number.NaN, 3, 4]), present: Uint8Array.from([1, 1, 1, 1]) },
      { values: Float64Array.from([40, 30, 20, 10]), present: Uint8Array.from([1, 0, 1, 1]) },
    );
    expect([...p.at]).toEqual([0, 3]);
    expect([...p.newValues]).toEqual([1, 4]);
    expect([...p.oldValues]).toEqual([10, 40]);
    expect(p).toMatchObject({ nanCount: 1, missingCount: 1 });
  });

  it("aggregates with each function", () => {
    const xs = Float64Array.from([3, 1, 2, 10]);
    expect(aggregateOf(xs, "average")).toBe(4);
    expect(aggregateOf(xs, "sum")).toBe(16);
    expect(aggregateOf(xs, "min")).toBe(1);
    expect(aggregateOf(xs, "max")).toBe(10);
    expect(aggregateOf(xs, "median")).toBe(2.5);
    expect(aggregateOf(new Float64Array(0), "median")).toBeNull();
  });

  it("checks options and fills defaults", () => {
    expect(checkCompareOptions({ metrics: ["scores.acc"] })).toMatchObject({
      aggregate: "average",
      alpha: 0.05,
      maxDrop: 0.01,
      idLimit: 100,
      metrics: ["acc"],
      includeIds: false,
    });
    expect(() => checkCompareOptions({ maxDrop: -1 })).toThrow(
      /maxDrop: must be a finite number >= 0; received -1/,
    );
    expect(() => checkCompareOptions({ aggregate: "mode" as "sum" })).toThrow(/aggregate: must be one of/);
    expect(() => checkCompareOptions({ seed: 1.5 })).toThrow(/seed: must be an integer/);
  });
});

describe("alignDatapoints on sorted and unsorted lists", () => {
  it("gives the same pairs either way", () => {
    const sorted = alignDatapoints(["a", "c", "d", "f"], ["b", "c", "f", "g"]);
    expect(sorted.commonIds).toEqual(["c", "f"]);
    expect([...sorted.newIndex]).toEqual([1, 3]);
    expect([...sorted.oldIndex]).toEqual([1, 2]);
    expect(sorted.newOnly).toEqual([0, 2]);
    expect(sorted.oldOnly).toEqual([0, 3]);
    const unsorted = alignDatapoints(["f", "a", "c", "d"], ["b", "c", "f", "g"]);
    expect(unsorted.commonIds).toEqual(["f", "c"]);
    expect([...unsorted.oldIndex]).toEqual([2, 1]);
  });
});
