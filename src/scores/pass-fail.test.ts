import { describe, expect, it } from "vitest";
import { compareKeyValues, GroupIndex } from "./group-keys.js";
import { passes } from "./pass-fail.js";

describe("passes", () => {
  it("bounds range values with min and max, inclusive; NaN and strings fail; null is not judged", () => {
    const t = { min: 0.5, max: 0.9 };
    expect([0.49, 0.5, 0.7, 0.9, 0.91].map((v) => passes(t, v))).toEqual([false, true, true, true, false]);
    expect(passes(t, Number.NaN)).toBe(false);
    expect(passes(t, "0.7")).toBe(false);
    expect(passes(t, null)).toBeNull();
    expect(passes({ min: 1 }, true)).toBe(true);
    expect(passes({ min: 1 }, false)).toBe(false);
    expect(passes({ max: 0 }, -0)).toBe(true);
    expect(passes({ min: 0 }, Number.POSITIVE_INFINITY)).toBe(true);
    expect(passes({ max: 10 }, Number.POSITIVE_INFINITY)).toBe(false);
  });

  it("checks passWhen against booleans and their 0/1", () => {
    expect(passes({ passWhen: true }, true)).toBe(true);
    expect(passes({ passWhen: true }, false)).toBe(false);
    expect(passes({ passWhen: false }, false)).toBe(true);
    expect(passes({ passWhen: true }, 1)).toBe(true);
    expect(passes({ passWhen: true }, 0.5)).toBe(false);
    expect(passes({ passWhen: false }, 0)).toBe(true);
  });

  it("checks passingCategories, numbers and booleans compared as spelled", () => {
    const t = { passingCategories: ["good", "excellent", "5", "true"] };
    expect(passes(t, "good")).toBe(true);
    expect(passes(t, "Good")).toBe(false);
    expect(passes(t, "bad")).toBe(false);
    expect(passes(t, 5)).toBe(true);
    expect(passes(t, true)).toBe(true);
    expect(passes(t, false)).toBe(false);
  });

  it("requires every condition given", () => {
    expect(passes({ min: 0, passWhen: true }, 1)).toBe(true);
    expect(passes({ min: 2, passWhen: true }, 1)).toBe(false);
  });
});

describe("group keys", () => {
  it("orders numbers, then strings naturally, then booleans, objects, null last", () => {
    const values = [null, "a10", true, 2, "a2", -1, false, [1], "B"];
    expect([...values].sort(compareKeyValues)).toEqual([-1, 2, "a2", "a10", "B", false, true, [1], null]);
  });

  it("gives one ordinal per distinct tuple and lists them in key order", () => {
    const g = new GroupIndex();
    expect([g.add([0.1, "a"]), g.add([0.01, "a"]), g.add([0.1, "a"]), g.add([Number.NaN, "a"])]).toEqual([
      0, 1, 0, 2,
    ]);
    expect(g.add(["NaN", "a"])).toBe(3);
    expect(g.sorted().map(([k]) => k)).toEqual([
      [0.01, "a"],
      [0.1, "a"],
      [Number.NaN, "a"],
      ["NaN", "a"],
    ]);
  });
});
