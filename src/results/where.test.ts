import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLabbookError } from "../core/errors.js";
import { Results } from "./results.js";
import { type Fixture, sweepFixture } from "./test-support/fixture.js";

let fx: Fixture;
beforeAll(async () => {
  fx = await sweepFixture();
});
afterAll(async () => fx.cleanup());

describe("queries through the store's search", () => {
  it("fromStore with a filter in either syntax keeps the matching runs, oldest first", async () => {
    const byString = await Results.fromStore(fx.store, { filter: "metrics.acc >= 0.6 and params.lr = 0.1" });
    expect(byString.runs.map((r) => r.metrics.acc)).toEqual([0.6]);
    const byJson = await Results.fromStore(fx.store, {
      filter: { "params.lr": { $in: [0.1, 0.01] }, "tags.stage": "dev" },
    });
    expect(byJson.runs.map((r) => [r.params.lr, r.tags.stage])).toEqual([
      [0.1, "dev"],
      [0.01, "dev"],
    ]);
    expect(byJson.at(0)!.params.model).toEqual({ kind: "linear", layers: [4, 2] });
  });

  it("fromStore sorts inside the store and combines with experiment", async () => {
    const sorted = await Results.fromStore(fx.store, { experiment: "sweep", sort: "-metrics.acc" });
    expect(sorted.length).toBe(6);
    expect(sorted.runs.slice(0, 4).map((r) => r.metrics.acc)).toEqual([0.8, 0.7, 0.6, 0.5]);
    const other = await Results.fromStore(fx.store, { experiment: "other", filter: "metrics.acc > 0" });
    expect(other.runs.map((r) => r.experimentId)).toEqual(["other:0.1.0"]);
  });

  it("where() narrows a Results, keeps its order and chains with filter()", async () => {
    const all = await Results.fromStore(fx.store, { experiment: "sweep" });
    const failedOrFast = await all.where('status = "failed" or tags.fast exists');
    expect(failedOrFast.runs.map((r) => r.status)).toEqual(["success", "success", "failed"]);
    const chained = (await all.successful.where({ "params.lr": 0.01 })).filter({ tags: ["baseline"] });
    expect(chained.length).toBe(1);
    expect(chained.at(0)!.params).toMatchObject({ lr: 0.01, seed: 0 });
    const none = await all.where('name = "x\' OR 1=1 --"');
    expect(none.length).toBe(0);
  });

  it("a bad query is INVALID_ARGUMENT naming the position", async () => {
    await expect(Results.fromStore(fx.store, { filter: "metrics.acc > " })).rejects.toSatisfy(
      (e) => isLabbookError(e, "INVALID_ARGUMENT") && /position|column|offset/i.test((e as Error).message),
    );
  });
});

describe("compareWith", () => {
  it("compares this one run with another run, by id or as Results", async () => {
    const sweep = await Results.fromStore(fx.store, { experiment: "sweep", sort: "created_at" });
    const [first, second] = [sweep.slice(0, 1), sweep.slice(1, 2)];
    const byId = await second.compareWith(first.at(0)!.runId);
    expect(byId.commonDatapoints).toBe(2);
    expect(byId.verdict).toBe("inconclusive");
    const byResults = await second.compareWith(first);
    expect(byResults.metrics).toEqual(byId.metrics);
    await expect(sweep.compareWith(first)).rejects.toThrow(/exactly one run/);
  });
});
