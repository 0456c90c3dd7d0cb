import { describe, expect, it } from "vitest";
import { binEdges, histogram } from "./histogram.js";

const f64 = (...xs: number[]) => Float64Array.from(xs);

describe("histogram (numpy.histogram rules)", () => {
  it("puts a value on an inner edge in the bin it opens, and the maximum in the closed last bin", () => {
    // numpy: histogram([0, 0.5, 1, 1.5, 2], bins=4) -> counts [1, 1, 1, 2], edges [0, .5, 1, 1.5, 2]
    expect(histogram(f64(0, 0.5, 1, 1.5, 2), 4)).toEqual({
      edges: [0, 0.5, 1, 1.5, 2],
      counts: [1, 1, 1, 2],
    });
    // numpy: histogram([0, 1, 2, 3], bins=3) -> counts [1, 1, 2]
    expect(histogram(f64(3, 2, 1, 0), 3)).toEqual({ edges: [0, 1, 2, 3], counts: [1, 1, 2] });
  });

  it("matches numpy where edges are inexact: [0.1, 0.2, 0.3, 0.7, 1.0] in 10 bins -> [1,1,1,0,0,0,1,0,0,1]", () => {
    const h = histogram(f64(0.1, 0.2, 0.3, 0.7, 1.0), 10);
    expect(h.counts).toEqual([1, 1, 1, 0, 0, 0, 1, 0, 0, 1]);
    expect(h.edges[3]).toBeCloseTo(0.37, 15);
  });

  it("widens a zero range to min - 0.5 .. max + 0.5 (numpy: [5, 5, 5] in 4 bins -> [0, 0, 3, 0])", () => {
    expect(histogram(f64(5, 5, 5), 4)).toEqual({ edges: [4.5, 4.75, 5, 5.25, 5.5], counts: [0, 0, 3, 0] });
  });

  it("bins finite values only: NaN and infinities are not counted, and do not stretch the range", () => {
    const h = histogram(f64(Number.NaN, 0, Number.POSITIVE_INFINITY, 1, Number.NEGATIVE_INFINITY), 2);
    expect(h).toEqual({ edges: [0, 0.5, 1], counts: [1, 1] });
    expect(histogram(f64(Number.NaN, Number.POSITIVE_INFINITY), 20)).toEqual({ edges: [], counts: [] });
  });

  it("counts every finite value once over the default 20 bins", () => {
    const xs = Float64Array.from({ length: 10_001 }, (_, i) => Math.sin(i) * 1e3);
    const h = histogram(xs, 20);
    expect(h.edges).toHaveLength(21);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(10_001);
    // each value falls within its bin's edges
    for (const v of xs.slice(0, 500)) {
      const k = h.edges.findIndex((e, i) => i < 20 && v >= e && (v < h.edges[i + 1]! || i === 19));
      expect(k).toBeGreaterThanOrEqual(0);
    }
  });

  it("binEdges is numpy's linspace: start + i * step, last edge exact", () => {
    // numpy: histogram(1..10, bins=20) edges start [1, 1.45, 1.9]
    const e = binEdges(1, 10, 20);
    expect(e.slice(0, 3)).toEqual([1, 1.45, 1.9]);
    expect(e[20]).toBe(10);
  });
});
