import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLabbookError } from "../core/errors.js";
import { Results } from "./results.js";
import { Run } from "./run.js";
import { type Fixture, sweepFixture } from "./test-support/fixture.js";

let fx: Fixture;
beforeAll(async () => {
  fx = await sweepFixture();
});
afterAll(async () => fx.cleanup());

describe("Results.fromStore", () => {
  it("loads every run oldest first, or those of one experiment", async () => {
    const all = await Results.fromStore(fx.store);
    expect(all.length).toBe(7);
    expect(all.at(0)!.params.lr).toBe(0.1);
    expect(all.at(-1)!.experimentId).toBe("other:0.1.0");
    const sweep = await Results.fromStore(fx.store, { experiment: "sweep" });
    expect(sweep.length).toBe(6);
    const versioned = await Results.fromStore(fx.store, { experiment: "sweep:1.0.0" });
    expect(versioned.records.map((r) => r.runId)).toEqual(sweep.records.map((r) => r.runId));
  });

  it("refuses an unknown experiment, a bad reference and an unknown option", async () => {
    await expect(Results.fromStore(fx.store, { experiment: "nope" })).rejects.toSatisfy((e) =>
      isLabbookError(e, "NOT_FOUND"),
    );
    await expect(Results.fromStore(fx.store, { experiment: "sweep:x" })).rejects.toThrow(/experiment/);
    await expect(Results.fromStore(fx.store, { where: "x" } as never)).rejects.toThrow(/options\.where/);
  });
});

describe("access", () => {
  it("at() counts from the end for negative indexes; out of range is undefined", async () => {
    const r = await Results.fromStore(fx.store, { experiment: "sweep" });
    expect(r.at(-1)!.status).toBe("cancelled");
    expect(r.at(-2)!.status).toBe("failed");
    expect(r.at(-1)!.runId).toBe(r.at(r.length - 1)!.runId);
    expect(r.at(6)).toBeUndefined();
    expect(r.at(-7)).toBeUndefined();
  });

  it("slice() returns a Results sharing the runs; iteration, runs and records agree", async () => {
    const r = await Results.fromStore(fx.store, { experiment: "sweep" });
    const s = r.slice(1, 3);
    expect(s).toBeInstanceOf(Results);
    expect(s.length).toBe(2);
    expect(s.at(0)).toBe(r.at(1));
    expect(r.slice(-2).runs.map((x) => x.status)).toEqual(["failed", "cancelled"]);
    const ids = [];
    for (const run of r) {
      expect(run).toBeInstanceOf(Run);
      ids.push(run.runId);
    }
    expect(ids).toEqual(r.records.map((x) => x.runId));
    expect(r.runs.map((x) => x.runId)).toEqual(ids);
  });

  it("successful and failed", async () => {
    const r = await Results.fromStore(fx.store);
    expect(r.successful.length).toBe(5);
    expect(r.failed.length).toBe(1);
    expect(r.failed.at(0)!.error).toMatchObject({ type: "RangeError", message: "diverged" });
  });

  it("load() decodes an artifact by run id", async () => {
    const r = await Results.fromStore(fx.store, { experiment: "sweep" });
    const w = (await r.load(r.at(1)!.runId, "weights")) as { w: number[]; b: number };
    expect(w.w).toEqual([1, 2]);
    expect(w.b).toBeNaN();
    await expect(r.load(r.at(1)!.runId, "nope")).rejects.toSatisfy((e) => isLabbookError(e, "NOT_FOUND"));
  });
});

describe("summary", () => {
  it("counts by status, duration stats and per metric statistics", async () => {
    const s = (await Results.fromStore(fx.store)).summary();
    expect(s.total).toBe(7);
    expect(s.byStatus).toEqual({ pending: 0, running: 0, success: 5, failed: 1, cancelled: 1, crashed: 0 });
    expect(s.durationMs.count).toBe(7);
    expect(s.durationMs.min).toBeLessThanOrEqual(s.durationMs.max!);
    const acc = s.metrics.acc!;
    expect(acc.count).toBe(5);
    expect(acc.min).toBeCloseTo(0.1);
    expect(acc.max).toBeCloseTo(0.8);
    expect(acc.mean).toBeCloseTo((0.5 + 0.6 + 0.7 + 0.8 + 0.1) / 5);
    expect(s.metrics.odd).toMatchObject({ count: 3, nanCount: 1, min: 0, max: 3, ddof: 1 });
    expect(s.metrics.loss!.max).toBe(Number.POSITIVE_INFINITY);
  });

  it("of no runs", async () => {
    const s = (await Results.fromStore(fx.store)).filter({ status: "running" }).summary();
    expect(s.total).toBe(0);
    expect(s.durationMs).toMatchObject({ count: 0, mean: null, median: null });
    expect(s.metrics).toEqual({});
  });
});
