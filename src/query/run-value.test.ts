import { describe, expect, it } from "vitest";
import { runFieldValue } from "./run-value.js";

const run = {
  runId: "r1",
  name: null,
  status: "success",
  experimentName: "e",
  experimentVersion: "1.0.0",
  createdAt: "2026-01-01T00:00:00.000Z",
  startedAt: null,
  finishedAt: null,
  durationMs: 12,
  tags: { stage: "dev", baseline: "" },
  params: { opt: { lr: 0.1, "a.b": 2 }, "x.y": 3, model: "b" },
  metrics: { acc: 0.9, "my metric": 1 },
  derived: { d: [1, 2] },
};

describe("runFieldValue", () => {
  it("reads columns, nested and dotted params, metrics, derived values and tags", () => {
    expect(runFieldValue(run, "run_id")).toBe("r1");
    expect(runFieldValue(run, "duration_ms")).toBe(12);
    expect(runFieldValue(run, "params.opt.lr")).toBe(0.1);
    expect(runFieldValue(run, "params.opt.a.b")).toBe(2);
    expect(runFieldValue(run, "params.x.y")).toBe(3);
    expect(runFieldValue(run, "params.opt")).toEqual({ lr: 0.1, "a.b": 2 });
    expect(runFieldValue(run, "metrics.my metric")).toBe(1);
    expect(runFieldValue(run, "derived.d")).toEqual([1, 2]);
    expect(runFieldValue(run, "tags")).toEqual(["baseline", "stage"]);
    expect(runFieldValue(run, "tags.stage")).toBe("dev");
  });
  it("is undefined for what the run lacks, and for own-property lookalikes", () => {
    expect(runFieldValue(run, "metrics.loss")).toBeUndefined();
    expect(runFieldValue(run, "metrics.toString")).toBeUndefined();
    expect(runFieldValue(run, "params.nope.x")).toBeUndefined();
    expect(runFieldValue(run, "tags.missing")).toBeUndefined();
    expect(runFieldValue(run, "bogus")).toBeUndefined();
    expect(runFieldValue({ ...run, params: undefined }, "params.model")).toBeUndefined();
  });
});
