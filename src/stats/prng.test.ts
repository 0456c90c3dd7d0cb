import { describe, expect, it } from "vitest";
import { createRng } from "./prng.js";

describe("createRng", () => {
  it("repeats its sequence for a seed and stays in [0, 1)", () => {
    const a = createRng(9);
    const b = createRng(9);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(createRng(10)()).not.toBe(xs[0]);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.03);
  });
});
