import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Results } from "./results.js";
import { type Fixture, sweepFixture } from "./test-support/fixture.js";

let fx: Fixture;
beforeAll(async () => {
  fx = await sweepFixture();
});
afterAll(async () => fx.cleanup());

const finalLoss = async (run: import("./run.js").Run) => {
  const s = await run.series("loss");
  return { final_loss: s.values.at(-1) ?? null, n_steps: s.steps.length };
};

describe("computeDerived", () => {
  it("stores values beside each run; run.derived reads them; fingerprints unchanged", async () => {
    const results = await Results.fromStore(fx.store, { experiment: "sweep" });
    const before = results.records.map((r) => [r.paramsFingerprint, r.seedFingerprint, r.contextFingerprint]);
    const report = await results.computeDerived([
      finalLoss,
      (run) => ({ lr_x10: Number(run.params.lr) * 10 }),
    ]);
    expect(report).toEqual({ runs: 6, written: 18 });
    expect(results.at(0)!.derived).toEqual({ final_loss: 1 / 3, n_steps: 3, lr_x10: 1 });
    // A slice shares the runs, so it sees the values too.
    expect(results.slice(0, 1).at(0)!.derived.lr_x10).toBe(1);

    const fresh = await Results.fromStore(fx.store, { experiment: "sweep" });
    expect(fresh.at(0)!.derived).toEqual({ final_loss: 1 / 3, n_steps: 3, lr_x10: 1 });
    expect(fresh.at(-2)!.derived).toEqual({ final_loss: null, n_steps: 0, lr_x10: 10 });
    expect(fresh.records.map((r) => [r.paramsFingerprint, r.seedFingerprint, r.contextFingerprint])).toEqual(
      before,
    );
    expect(fresh.table()[0]).toMatchObject({ derived_final_loss: 1 / 3, derived_lr_x10: 1 });
    expect(fresh.filter({ derived: { lr_x10: 10 } }).length).toBe(1);
  });

  it("keeps stored values unless overwrite is set", async () => {
    const results = await Results.fromStore(fx.store, { experiment: "sweep" });
    const bump = (run: import("./run.js").Run) => ({ lr_x10: -1, extra: run.runId.length });
    expect(await results.computeDerived([bump])).toEqual({ runs: 6, written: 6 });
    expect(results.at(0)!.derived.lr_x10).toBe(1);
    expect((await Results.fromStore(fx.store, { experiment: "sweep" })).at(0)!.derived.lr_x10).toBe(1);
    expect(await results.computeDerived([bump], { overwrite: true })).toEqual({ runs: 6, written: 12 });
    expect(results.at(0)!.derived.lr_x10).toBe(-1);
    expect((await Results.fromStore(fx.store, { experiment: "sweep" })).at(0)!.derived.lr_x10).toBe(-1);
  });

  it("refuses what is not a function or a record, naming it", async () => {
    const results = await Results.fromStore(fx.store, { experiment: "other" });
    await expect(results.computeDerived([3 as never])).rejects.toThrow(/fns\[0\]: must be a function/);
    await expect(results.computeDerived([() => [1] as never])).rejects.toThrow(
      /fns\[0\]: must return a record/,
    );
    await expect(results.computeDerived([() => ({ f: () => 1 })])).rejects.toThrow(/derived\.f/);
  });

  it("draws no progress bar when stderr is not a TTY", async () => {
    const results = await Results.fromStore(fx.store, { experiment: "other" });
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await results.computeDerived([() => ({ one: 1 })], { progress: true });
    } finally {
      process.stderr.write = orig;
    }
    expect(writes.join("")).toBe("");
  });
});
