import { beforeEach, expect, it } from "vitest";
import type { SqlStore } from "../store/sql/sql-store.js";
import { describeDialects, useTempStores } from "../store/sql/test-support/temp-store.js";
import { defineExperiment } from "./define.js";
import { loadExecution, openExecution } from "./execution.js";
import { executeExperiment, runExperiment } from "./run-experiment.js";
import { logUniform, sample } from "./sampler.js";
import { tag } from "./tag.js";
import type { RunFunction, SweepProgress } from "./types.js";

describeDialects("runExperiment", (dialect) => {
  const fresh = useTempStores("runner", dialect);
  let store: SqlStore;
  beforeEach(async () => {
    ({ store } = await fresh());
  });

  const small = { name: "small", layers: [64, 64] };
  const big = { name: "big", layers: [512, 512] };

  function grid(run: RunFunction, extra: Record<string, unknown> = {}) {
    return defineExperiment({
      name: "grid",
      params: { lr: tag([0.1, 0.01, 0.001]), model: [small, big, { name: "c" }, { name: "d" }] },
      seeds: 2,
      run,
      ...extra,
    });
  }

  it("capture.params adds params to a runner run; a change to one fails the run, the id stays", async () => {
    const exp = defineExperiment({
      name: "lp-runner",
      params: { lr: [0.1, 0.2] },
      run: async ({ params, capture }) => {
        await capture.params({ nParams: 1000 * (params.lr as number) });
        if (params.lr === 0.2) await capture.params({ lr: 0.3 });
      },
    });
    const { counts, results } = await executeExperiment(exp, { store });
    expect(counts).toMatchObject({ success: 1, failed: 1 });
    const byLr = new Map(results.runs.map((r) => [r.params.lr, r]));
    expect(byLr.get(0.1)!.params).toEqual({ lr: 0.1, nParams: 100 });
    const failed = byLr.get(0.2)!;
    expect(failed.status).toBe("failed");
    expect(failed.params).toEqual({ lr: 0.2, nParams: 200 });
    expect(failed.record.error?.message).toMatch(/params\.lr: run .* derives its id from its params/);
    // a relaunch finds the successful run by its id: the added param does not change it
    const again = await executeExperiment(exp, { store, resume: true });
    expect(again.counts).toMatchObject({ skipped: 2, success: 0 });
  });

  it("a grid of 3 x 4 x 2 seeds gives 24 runs with distinct deterministic ids, tagged and logged", async () => {
    const exp = grid(async ({ params, seed, capture }) => {
      await capture.metric("acc", (params.lr as number) * (seed + 1), { step: 1 });
      await capture.metrics({ loss: 1, f1: 0.5 });
      await capture.row({ datapointId: "q1", scores: { em: 1 } });
      await capture.data("curve", [1, 2, 3]);
      capture.log("started");
      capture.log("done");
    });
    const { results, counts, execution } = await executeExperiment(exp, { store, concurrency: 4 });
    expect(results.length).toBe(24);
    expect(counts).toMatchObject({ success: 24, failed: 0, total: 24 });
    const runs = await store.listRuns({ experiment: "grid" });
    expect(runs).toHaveLength(24);
    expect(new Set(runs.map((r) => r.runId)).size).toBe(24);
    const again = (await fresh()).store;
    const ids2 = (await runExperiment(exp, { store: again })).records.map((r) => r.runId).sort();
    expect(ids2).toEqual(runs.map((r) => r.runId).sort());
    const one = runs.find((r) => r.params.lr === 0.01 && r.seed === 1)!;
    expect(one.tags).toEqual({ lr: "0.01" });
    expect(one.executionId).toBe(execution.executionId);
    expect(one.metrics).toMatchObject({ acc: 0.02, loss: 1, f1: 0.5 });
    const log = await store.getArtifact(one.runId, "log");
    expect(log.descriptor.kind).toBe("log");
    expect(Buffer.from(log.bytes).toString()).toBe("started\ndone\n");
    expect(await store.getData(one.runId, "curve")).toEqual([1, 2, 3]);
    expect((await store.getSeries(one.runId, "acc")).steps).toEqual([1]);
    const manifest = execution.manifest!;
    expect(manifest).toMatchObject({
      experimentId: "grid:0.1.0",
      version: "0.1.0",
      executionId: execution.executionId,
    });
    expect(manifest.paramsSchema).toMatchObject({ type: "object", required: ["lr", "model"] });
    expect(manifest.outputsSchema).toMatchObject({
      properties: { metrics: { properties: { acc: { type: "number" }, loss: { type: "integer" } } } },
    });
    expect(execution.status).toBe("finished");
  });

  it("a run that throws is failed with its error; the others go on; relaunch skips finished; rerunFailed reruns", async () => {
    let calls = 0;
    let broken = true;
    const exp = grid(async ({ params, seed }) => {
      calls++;
      if (broken && (params.model as { name: string }).name === "d" && seed === 1)
        throw new TypeError("boom");
    });
    const first = await executeExperiment(exp, { store, concurrency: 3 });
    expect(first.counts).toMatchObject({ success: 21, failed: 3 });
    const failed = await store.listRuns({ status: "failed" });
    expect(failed[0]!.error).toMatchObject({ type: "TypeError", message: "boom" });
    expect(failed[0]!.error!.stack).toContain("boom");
    calls = 0;
    await expect(runExperiment(exp, { store })).rejects.toMatchObject({ code: "ALREADY_EXISTS" });
    const resumed = await executeExperiment(exp, { store, resume: true });
    expect(calls).toBe(0);
    expect(resumed.counts).toMatchObject({ skipped: 24, success: 0 });
    expect(resumed.results.length).toBe(24);
    broken = false;
    const rerun = await executeExperiment(exp, { store, rerunFailed: true });
    expect(calls).toBe(3);
    expect(rerun.counts).toMatchObject({ success: 3, skipped: 21 });
    const all = await store.listRuns({ experiment: "grid" });
    expect(all).toHaveLength(24);
    expect(all.every((r) => r.status === "success")).toBe(true);
    expect((await store.listExecutions("grid")).length).toBe(3);
  });

  it("a run past timeoutMs is failed with TIMEOUT and its signal aborted", async () => {
    let aborted = 0;
    const exp = defineExperiment({
      name: "slow",
      params: { wait: [1, 400] },
      run: ({ params, signal }) =>
        new Promise<void>((resolve) => {
          const t = setTimeout(resolve, params.wait as number);
          signal.addEventListener("abort", () => {
            aborted++;
            clearTimeout(t);
            resolve();
          });
        }),
    });
    const { counts } = await executeExperiment(exp, { store, timeoutMs: 100, concurrency: 2 });
    expect(counts).toMatchObject({ success: 1, failed: 1 });
    const [slow] = await store.listRuns({ status: "failed" });
    expect(slow!.params.wait).toBe(400);
    expect(slow!.error).toMatchObject({ type: "LabbookError" });
    expect(slow!.error!.message).toMatch(/timeoutMs \(100 ms\)/);
    expect(aborted).toBe(1);
  });

  it("an aborted signal cancels the runs in flight, starts no more; a resume finishes the rest", async () => {
    const controller = new AbortController();
    let started = 0;
    const exp = defineExperiment({
      name: "stop",
      params: { i: [0, 1, 2, 3, 4, 5, 6, 7] },
      run: async ({ signal }) => {
        started++;
        if (started === 2) setTimeout(() => controller.abort(), 20);
        await new Promise((r) => setTimeout(r, 200));
        signal.throwIfAborted();
      },
    });
    const first = await executeExperiment(exp, { store, concurrency: 2, signal: controller.signal });
    expect(first.interrupted).toBe(true);
    expect(first.counts).toMatchObject({ cancelled: 2, success: 0 });
    expect(first.execution.status).toBe("interrupted");
    expect(await store.listRuns({ experiment: "stop" })).toHaveLength(2);
    started = 10;
    const second = await executeExperiment(exp, { store, concurrency: 4, resume: true });
    expect(second.counts).toMatchObject({ success: 8 });
    const runs = await store.listRuns({ experiment: "stop" });
    expect(runs).toHaveLength(8);
    expect(runs.every((r) => r.status === "success")).toBe(true);
  });

  it("configs that shared a sub-config load back sharing one object (===); tags map; saved objects", async () => {
    const exp = grid(async ({ params, execution }) => {
      if (params.lr === 0.1 && (params.model as { name: string }).name === "small") {
        await execution.save({ note: "inside", model: params.model }, "inside");
      }
    });
    const { execution } = await executeExperiment(exp, { store });
    const loaded = await loadExecution(store, "grid");
    expect(loaded.executionId).toBe(execution.executionId);
    expect(loaded.runs.size).toBe(24);
    const smalls = [...loaded.runs.values()].filter((c) => (c.model as { name: string }).name === "small");
    expect(smalls).toHaveLength(6);
    for (const c of smalls) expect(c.model).toBe(smalls[0]!.model);
    expect(smalls[0]!.model).toEqual(small);
    const distinct = new Set([...loaded.runs.values()].map((c) => c.model));
    expect(distinct.size).toBe(4);
    const lines: string[] = [];
    for await (const l of store.executionObjects("grid")) lines.push(l);
    expect(lines.filter((l) => l.includes('"small"'))).toHaveLength(1);
    const tags = await store.tagsMap("grid");
    expect(Object.keys(tags)).toHaveLength(24);
    expect(new Set(Object.values(tags).map((t) => t.lr))).toEqual(new Set(["0.1", "0.01", "0.001"]));
    const after = await openExecution(store, "grid");
    const summary: Record<string, unknown> = { best: "small" };
    summary.self = summary;
    await after.save(summary, "final-results");
    const back = (await store.loadObject("grid", "final-results")) as Record<string, unknown>;
    expect(back.self).toBe(back);
    expect(await store.loadObject("grid", "inside")).toEqual({ note: "inside", model: small });
  });

  it("a cyclic config fails the launch with a clear error before anything runs", async () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.parent = { child: cyclic };
    const exp = defineExperiment({ name: "cyc", params: { model: [cyclic] }, run: async () => undefined });
    await expect(runExperiment(exp, { store })).rejects.toThrow(
      /config 0 of cyc: params\.model\.parent\.child: cyclic/,
    );
    expect(await store.listRuns()).toHaveLength(0);
  });

  it("versioning: keep, bump-minor, and resume continues the latest", async () => {
    const run = async () => undefined;
    const v = (versioning?: "keep" | "bump-minor" | "bump-patch", version?: string) =>
      defineExperiment({
        name: "ver",
        params: [{ a: 1 }],
        run,
        ...(version ? { version } : {}),
        ...(versioning ? { versioning } : {}),
      });
    await runExperiment(v(undefined, "1.2.3"), { store });
    await runExperiment(v("bump-minor"), { store });
    await runExperiment(v("bump-patch"), { store });
    expect(await store.listVersions("ver")).toEqual(["1.2.3", "1.3.0", "1.3.1"]);
    expect(await store.latestVersion("ver")).toBe("1.3.1");
    const resumed = await executeExperiment(v("bump-minor"), { store, resume: true });
    expect(resumed.execution.experimentVersion).toBe("1.3.1");
    expect(resumed.counts.skipped).toBe(1);
    const kept = await executeExperiment(v(), { store, resume: true });
    expect(kept.execution.experimentVersion).toBe("1.3.1");
  });

  it("progress: a callback sees done/failed/remaining and an ETA", async () => {
    const seen: SweepProgress[] = [];
    const exp = defineExperiment({
      name: "prog",
      params: { i: [1, 2, 3, 4] },
      run: async ({ params }) => {
        if (params.i === 4) throw new Error("x");
      },
    });
    await runExperiment(exp, { store, progress: (p) => seen.push(p) });
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ total: 4, done: 3, failed: 1, remaining: 0 });
    expect(last.etaMs).toBe(0);
  });

  it("a capture call that fails un-awaited fails its run; a sampler's runs are stored", async () => {
    const bad = defineExperiment({
      name: "bad-capture",
      params: [{ a: 1 }],
      run: async ({ capture }) => {
        void capture.metric("", 1);
      },
    });
    const { counts } = await executeExperiment(bad, { store });
    expect(counts.failed).toBe(1);
    const [run] = await store.listRuns({ experiment: "bad-capture" });
    expect(run!.error!.message).toMatch(/name: must be a non-empty string/);
    const searched = defineExperiment({
      name: "search",
      params: sample({ count: 5, seed: 3, space: { lr: logUniform(1e-4, 1e-1) } }),
      run: async ({ params, capture }) => capture.metric("lr", params.lr as number),
    });
    const a = (await runExperiment(searched, { store })).records.map((r) => r.params.lr);
    expect(a).toHaveLength(5);
    expect(new Set(a).size).toBe(5);
  });

  it("two launches of one sweep at once: each run is stored once, the loser of each race skips it", async () => {
    const exp = defineExperiment({
      name: "race",
      params: { i: Array.from({ length: 30 }, (_, i) => i) },
      run: async ({ capture }) => {
        await new Promise((r) => setTimeout(r, 2));
        await capture.metric("m", 1);
      },
    });
    const [a, b] = await Promise.all([
      executeExperiment(exp, { store, resume: true, concurrency: 3 }),
      executeExperiment(exp, { store, resume: true, concurrency: 3 }),
    ]);
    expect(a.counts.success + b.counts.success).toBe(30);
    expect(a.counts.skipped + b.counts.skipped).toBe(30);
    const runs = await store.listRuns({ experiment: "race" });
    expect(runs).toHaveLength(30);
    expect(runs.every((r) => r.status === "success")).toBe(true);
  });

  it("checks its options", async () => {
    const exp = defineExperiment({ name: "opts", params: [{ a: 1 }], run: async () => undefined });
    await expect(runExperiment(exp, { store, concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(runExperiment(exp, { store, timeoutMs: -1 })).rejects.toThrow(/timeoutMs/);
    await expect(runExperiment(exp, { store, workers: "threads" })).rejects.toThrow(
      /module: import\.meta\.url/,
    );
    expect(() => defineExperiment({ name: "bad name", params: {}, run: async () => undefined })).toThrow(
      /name/,
    );
    expect(() => defineExperiment({ name: "x", params: {}, run: 3 as never })).toThrow(/run/);
    expect(() =>
      defineExperiment({ name: "x", params: {}, seeds: [1, 1], run: async () => undefined }),
    ).toThrow(/repeat/);
  });
});
