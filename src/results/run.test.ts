import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLabbookError } from "../core/errors.js";
import { Results } from "./results.js";
import type { Run } from "./run.js";
import { type Fixture, sweepFixture } from "./test-support/fixture.js";

let fx: Fixture;
let run: Run;
beforeAll(async () => {
  fx = await sweepFixture();
  await fx.store.createExperiment({
    name: "described",
    version: "2.0.0",
    description: "with metadata",
    metadata: { owner: "ada" },
    tags: ["nightly"],
  });
  run = (await Results.fromStore(fx.store, { experiment: "sweep" })).at(1)!;
});
afterAll(async () => fx.cleanup());

describe("Run", () => {
  it("exposes the record's fields", () => {
    expect(run.runId).toBe(run.record.runId);
    expect(run.experimentId).toBe("sweep:1.0.0");
    expect(run.status).toBe("success");
    expect(run.params).toMatchObject({ lr: 0.1, seed: 1 });
    expect(run.seed).toBe(1);
    expect(run.metrics.acc).toBeCloseTo(0.6);
    expect(run.metrics.odd).toBeNaN();
    expect(run.tags).toEqual({ stage: "dev" });
    expect(run.error).toBeNull();
    expect(Date.parse(run.startedAt!)).toBeLessThanOrEqual(Date.parse(run.finishedAt!));
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    for (const fp of [run.paramsFingerprint, run.seedFingerprint, run.contextFingerprint]) {
      expect(fp).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(run.derived).toEqual({});
    expect(JSON.parse(JSON.stringify(run)).runId).toBe(run.runId);
  });

  it("experiment() returns the ExperimentInfo", async () => {
    const info = await run.experiment();
    expect(info).toMatchObject({ experimentId: "sweep:1.0.0", name: "sweep", version: "1.0.0" });
    const other = await fx.store.startRun({ experiment: "described:2.0.0" });
    await other.finish();
    const r = (await Results.fromStore(fx.store, { experiment: "described" })).at(0)!;
    expect(await r.experiment()).toMatchObject({
      experimentId: "described:2.0.0",
      description: "with metadata",
      metadata: { owner: "ada" },
      tags: { nightly: "" },
    });
  });

  it("artifact() decodes by kind; artifacts() lists descriptors", async () => {
    const w = (await run.artifact("weights")) as { w: number[]; b: number };
    expect(w.w).toEqual([1, 2]);
    expect(w.b).toBeNaN();
    expect(await run.artifact("notes")).toBe('run 1, "quoted"');
    const blob = await run.artifact("blob");
    expect(blob).toBeInstanceOf(Uint8Array);
    expect([...(blob as Uint8Array)]).toEqual([1, 2, 3, 1]);
    const list = await run.artifacts();
    expect(list.map((a) => a.name).sort()).toEqual(["blob", "notes", "weights"]);
    const weights = list.find((a) => a.name === "weights")!;
    expect(weights).toMatchObject({ kind: "json", mediaType: "application/json" });
    expect(weights.size).toBeGreaterThan(0);
    expect(weights.digest).toMatch(/[0-9a-f]{64}/);
    await expect(run.artifact("missing")).rejects.toSatisfy((e) => isLabbookError(e, "NOT_FOUND"));
  });

  it("data(), listData(), series(), rows()", async () => {
    const curve = await run.data("curve");
    expect(curve).toBeInstanceOf(Float64Array);
    expect([...(curve as Float64Array)]).toEqual([3, 2, 0.5]);
    expect(await run.listData()).toEqual([
      expect.objectContaining({ name: "curve", dtype: "float64", shape: [3] }),
    ]);
    const s = await run.series("loss");
    expect(s.steps).toEqual([0, 1, 2]);
    expect(s.values).toEqual([1 / 2, 1 / 3, 1 / 4]);
    expect(await run.seriesNames()).toEqual(["loss"]);
    expect((await run.series("acc")).steps).toEqual([]);
    const rows = [];
    for await (const row of run.rows()) rows.push(row);
    expect(rows.map((r) => [r.datapointId, r.scores.correct])).toEqual([
      ["d1", 1],
      ["d2", 1],
    ]);
  });
});
