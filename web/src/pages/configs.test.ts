import { describe, expect, it } from "vitest";
import { makeAxis } from "../charts/axis.ts";
import type { Run } from "../types.ts";
import { configsOf } from "./configs.ts";

const run = (fp: string, acc: number | undefined, lr: number): Run => ({
  runId: `${fp}-${acc}`,
  experimentId: "e:1",
  experimentName: "e",
  experimentVersion: "1",
  name: null,
  status: "success",
  tags: {},
  params: { lr },
  metrics: acc === undefined ? {} : { acc },
  error: null,
  createdAt: "2026-01-01T00:00:00Z",
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  paramsFingerprint: fp,
});

describe("configs over seeds", () => {
  it("groups runs by params fingerprint with mean, population std, min and max of the metric", () => {
    const configs = configsOf(
      [
        run("a", 0.5, 0.1),
        run("a", 0.7, 0.1),
        run("b", 0.9, 0.01),
        run("b", Number.NaN, 0.01),
        run("c", undefined, 1),
      ],
      "acc",
    );
    expect(configs.map((c) => c.key)).toEqual(["a", "b"]);
    expect(configs[0]).toMatchObject({ values: [0.5, 0.7], min: 0.5, max: 0.7 });
    expect(configs[0]!.mean).toBeCloseTo(0.6);
    expect(configs[0]!.std).toBeCloseTo(0.1);
    expect(configs[1]).toMatchObject({ values: [0.9], mean: 0.9, std: 0 });
    expect(configs[1]!.runs).toHaveLength(2);
  });
});

describe("plot axes", () => {
  it("places numbers linearly, by log when they span two decades, and categories by rank", () => {
    const lin = makeAxis("x", [1, 2, 3]);
    expect([lin.pos(1), lin.pos(2), lin.pos(3)]).toEqual([0, 0.5, 1]);
    const log = makeAxis("lr", [0.001, 0.01, 0.1]);
    expect(log.pos(0.01)).toBeCloseTo(0.5);
    const cat = makeAxis("m", ["b", "a", "c", null]);
    expect([cat.pos("a"), cat.pos("b"), cat.pos("c"), cat.pos(null)]).toEqual([0, 0.5, 1, null]);
    expect(makeAxis("one", [5]).pos(5)).toBe(0.5);
  });
});
