import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import * as source from "../index.js";
import { useTempStores } from "../store/sql/dialects/sqlite/test-support/temp-store.js";
import { builtDist, ROOT } from "./test-support/built-dist.js";

type Labbook = typeof source;
let dist: Labbook;
const fresh = useTempStores("copies");

beforeAll(async () => {
  dist = (await import(pathToFileURL(join(builtDist(), "index.js")).href)) as Labbook;
  expect(dist.tag).not.toBe(source.tag); // two copies of the module, side by side
}, 120_000);

describe("two copies of labbook in one process (the built package and the sources)", () => {
  it("a grid built with the other copy's tag() expands into its values and tags", async () => {
    const { store } = await fresh();
    const exp = dist.defineExperiment({
      name: "copies",
      params: { lr: dist.tag([0.1, 0.2]), model: [dist.tag("a"), "b"] },
      seeds: 2,
      run: async ({ params, capture }) => {
        await capture.metric("loss", (params as { lr: number }).lr);
      },
    });
    expect(source.isExperiment(exp)).toBe(true);
    const { records } = await source.runExperiment(exp, { store });
    expect(records).toHaveLength(8);
    const runs = await store.listRuns({ experiment: "copies" });
    expect(runs.map((r) => r.status)).toEqual(Array(8).fill("success"));
    expect(new Set(runs.map((r) => r.params.lr))).toEqual(new Set([0.1, 0.2]));
    expect(runs.every((r) => !Number.isNaN(r.metrics.loss))).toBe(true);
    const a = runs.find((r) => r.params.model === "a");
    expect(a?.tags).toMatchObject({ lr: String(a?.params.lr), model: "a" });
    expect(runs.find((r) => r.params.model === "b")?.tags.model).toBeUndefined();
  });

  it("a sample() of the other copy draws its distributions, the sources' experiment runs in the built runner", async () => {
    const { store } = await fresh();
    const space = {
      lr: source.logUniform(1e-4, 1e-1),
      depth: source.intBetween(1, 4),
      kind: source.tag(source.choice(["p", "q"])),
    };
    const exp = source.defineExperiment({
      name: "copies-sample",
      params: source.sample({ count: 5, seed: 3, space }),
      run: async ({ params, capture }) => {
        await capture.metric("depth", (params as { depth: number }).depth);
      },
    });
    expect(dist.isExperiment(exp)).toBe(true);
    await dist.runExperiment(exp, { store });
    const runs = await store.listRuns({ experiment: "copies-sample" });
    expect(runs).toHaveLength(5);
    for (const r of runs) {
      expect(typeof r.params.lr).toBe("number");
      expect(Number.isInteger(r.params.depth)).toBe(true);
      expect(["p", "q"]).toContain(r.params.kind);
      expect(r.tags.kind).toBe(r.params.kind);
      expect(r.status).toBe("success");
    }
    const drawn = source.expandParams(dist.sample({ count: 5, seed: 3, space }));
    expect(drawn.map((c) => c.params)).toEqual(
      source.expandParams(source.sample({ count: 5, seed: 3, space })).map((c) => c.params),
    );
  });

  it("labbook run examples/runner-sweep.ts with the built CLI records 27 runs", async () => {
    const { dir, store } = await fresh();
    const r = spawnSync(
      process.execPath,
      [join(builtDist(), "cli", "main.js"), "--store", dir, "run", "examples/runner-sweep.ts"],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
        timeout: 120_000,
      },
    );
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    const runs = await store.listRuns({ experiment: "logreg-runner" });
    expect(runs).toHaveLength(27);
    expect(runs.every((x) => x.status === "success" && typeof x.params.lr === "number")).toBe(true);
    expect(new Set(runs.map((x) => x.params.lr))).toEqual(new Set([0.03, 0.3, 3]));
    expect(runs.every((x) => Number.isFinite(x.metrics.test_loss))).toBe(true);
  }, 120_000);
});
