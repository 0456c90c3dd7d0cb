import { describe, expect, it } from "vitest";
import { categoryDistribution, countCategories, modeCategory } from "./rubric.js";

describe("rubric distribution", () => {
  it("lists defined categories first in their order (zero counts kept), then others in natural order", () => {
    const counts = countCategories(["x10", "bad", "x2", "bad", null, "Apple", "apple"]);
    const d = categoryDistribution(counts, ["good", "bad"]);
    expect(d.map((c) => c.category)).toEqual(["good", "bad", "apple", "Apple", "x2", "x10"]);
    expect(d.map((c) => c.count)).toEqual([0, 2, 1, 1, 1, 1]);
  });

  it("does not depend on the order values arrive in", () => {
    const a = categoryDistribution(countCategories(["b", "a", "c", "a"]));
    const b = categoryDistribution(countCategories(["a", "c", "a", "b"]));
    expect(a).toEqual(b);
  });

  it("breaks mode ties by distribution order: defined order first, then natural order", () => {
    expect(modeCategory(categoryDistribution(countCategories(["b", "a", "b", "a"])))).toBe("a");
    expect(modeCategory(categoryDistribution(countCategories(["b", "a", "b", "a"]), ["b"]))).toBe("b");
    expect(modeCategory(categoryDistribution(countCategories(["a", "b", "b"])))).toBe("b");
  });

  it("has no mode when nothing was counted", () => {
    expect(modeCategory(categoryDistribution(new Map(), ["good"]))).toBeNull();
    expect(modeCategory([])).toBeNull();
  });
});
