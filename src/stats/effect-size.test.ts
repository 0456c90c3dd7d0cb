import { describe, expect, it } from "vitest";
import { cohensDz } from "./effect-size.js";

describe("cohensDz", () => {
  it("sleep differences: mean 1.58 / sd 1.23000 = 1.2845576 (numpy: d.mean() / d.std(ddof=1))", () => {
    expect(cohensDz([1.2, 2.4, 1.3, 1.3, 0, 1.0, 1.8, 0.8, 4.6, 1.4])).toBeCloseTo(1.2845575625910546, 12);
  });
  it("hand values, NaN left out, and the degenerate cases", () => {
    expect(cohensDz([1, 2, 3, NaN])).toBe(2);
    expect(cohensDz([-1, -2, -3])).toBe(-2);
    expect(cohensDz([0, 0, 0])).toBe(0);
    expect(cohensDz([0.1, 0.1])).toBeNull();
    expect(cohensDz([1])).toBeNull();
  });
});
