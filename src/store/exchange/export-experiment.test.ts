import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { RunRecord } from "../../core/types.js";
import { useTempStores } from "../sql/dialects/sqlite/test-support/temp-store.js";
import { exportExperiment } from "./export-experiment.js";
import { mixedStore } from "./test-support/mixed-store.js";
import { readParquet } from "./test-support/read-parquet.js";

const fresh = useTempStores("export");

/** A value as DuckDB returns it from a column of the exported kind. */
function asRead(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === "number" && Number.isSafeInteger(v) && !Object.is(v, -0)) return BigInt(v);
  return v;
}

function same(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (typeof a === "number" && typeof b === "number" && a === b);
}

describe("exportExperiment (Scythe's layout)", () => {
  it("writes every file, read back by DuckDB column by column", async () => {
    const { store, dir } = await fresh();
    await mixedStore(store);
    const out = join(dir, "exports");
    const done = await exportExperiment(store, {
      experiment: "mix",
      out,
      at: new Date(Date.UTC(2025, 6, 23, 12, 59, 51)),
    });
    expect(done.experimentId).toBe("mix/v1.0.0/2025-07-23_12-59-51");
    expect(done.keys.scalars).toBe("mix/v1.0.0/2025-07-23_12-59-51/final/scalars.pq");
    expect([done.runs, done.rows, done.artifacts]).toEqual([3, 2, 2]);
    const runs = (await store.listRuns({ experiment: "mix" })).reverse(); // oldest first
    const file = (k: string) => join(out, done.keys[k]!);

    const scalars = await readParquet(file("scalars"));
    const pandas = JSON.parse(scalars.kv.pandas!);
    expect(pandas.index_columns).toEqual(["experiment_id", "sort_index", "run_id", "lr", "label", "epochs"]);
    expect(scalars.types).toMatchObject({
      experiment_id: "VARCHAR",
      sort_index: "BIGINT",
      lr: "DOUBLE",
      label: "VARCHAR",
      epochs: "BIGINT",
      acc: "DOUBLE",
      loss: "DOUBLE",
      gain: "DOUBLE",
      gap: "DOUBLE",
      status: "VARCHAR",
      duration_ms: "BIGINT",
    });
    expect(scalars.names).not.toContain("model"); // nested params, lists and non-scalar derived values stay out
    expect(scalars.names).not.toContain("layers");
    expect(scalars.names).not.toContain("detail");
    expect(scalars.rows.map((r) => r.run_id)).toEqual(runs.map((r) => r.runId));
    runs.forEach((run: RunRecord, i) => {
      const row = scalars.rows[i]!;
      expect(row.sort_index).toBe(BigInt(i));
      expect(row.experiment_id).toBe(done.experimentId);
      for (const m of ["acc", "loss", "gain"]) expect(same(row[m], run.metrics[m] ?? null)).toBe(true);
      for (const p of ["lr", "label"]) expect(row[p]).toEqual(run.params[p] ?? null);
      expect(row.epochs).toBe(asRead(run.params.epochs));
      expect(row.status).toBe(run.status);
      expect(row.run_name).toBe(run.name);
      expect(row.duration_ms).toBe(asRead(run.durationMs));
    });
    expect(scalars.rows[2]!.epochs).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    expect(scalars.rows[0]!.gap).toBe(0.25);
    expect(scalars.rows[1]!.loss).toBeNull();

    const specs = await readParquet(file("specs"));
    expect(JSON.parse(specs.kv.pandas!).index_columns).toEqual(["experiment_id", "sort_index", "run_id"]);
    expect(specs.types).toMatchObject({
      "model.depth": "BIGINT",
      "model.act": "VARCHAR",
      layers: "VARCHAR",
      seed: "BIGINT",
    });
    expect(specs.rows.map((r) => [r["model.depth"], r["model.act"], r.layers, r.label])).toEqual([
      [3n, "relu", "[64,32]", "é 日本 🚀"],
      [4n, null, null, null],
      [null, null, null, null],
    ]);

    const refs = await readParquet(file("result_file_refs"));
    expect(JSON.parse(refs.kv.pandas!).index_columns).toEqual(pandas.index_columns);
    const config = refs.rows[0]!.config as string;
    expect(config).toMatch(/\/results\/config\/[0-9a-f]+\.json$/);
    expect(JSON.parse(readFileSync(fileURLToPath(config), "utf8"))).toEqual({ lr: 0.1 });
    expect(readFileSync(fileURLToPath(refs.rows[0]!["notes.txt"] as string), "utf8")).toBe("hello ü");
    expect(refs.rows[1]!.config).toBeNull();

    const rows = await readParquet(file("rows"));
    expect(JSON.parse(rows.kv.pandas!).index_columns).toEqual([
      ...pandas.index_columns,
      "datapoint_id",
      "trial",
    ]);
    expect(rows.types).toMatchObject({
      "scores.em": "DOUBLE",
      "scores.f1": "DOUBLE",
      "scores.judge": "VARCHAR",
      passed: "BOOLEAN",
    });
    expect(
      rows.rows.map((r) => [r.run_id, r.datapoint_id, r.trial, r["item.q"], r["item.meta.lang"], r.output]),
    ).toEqual([
      [runs[0]!.runId, "q1", 0n, "2+2", "en", "4"],
      [runs[0]!.runId, "q2", 0n, "ü", null, "5"],
    ]);
    expect(rows.rows[0]!["scores.f1"]).toBeNaN();
    expect(rows.rows[1]!["scores.f1"]).toBe(Number.NEGATIVE_INFINITY);
    expect(rows.rows.map((r) => [r["scores.em"], r["scores.judge"], r.passed])).toEqual([
      [1, "good", true],
      [0, null, true],
    ]);

    const manifest = parse(readFileSync(file("manifest"), "utf8"));
    expect(manifest).toMatchObject({
      experiment_id: done.experimentId,
      experiment_name: "mix",
      runs: 3,
      rows: 2,
    });
    expect(fileURLToPath(manifest.scalars_uri)).toBe(file("scalars"));
    const spec = parse(readFileSync(file("io_spec"), "utf8"));
    expect(spec.source).toBe("inferred");
    expect(spec.input.properties.model.properties.depth.type).toBe("integer");
    expect(spec.output.properties.config).toMatchObject({ type: "string", format: "uri" });
  });

  it("exports an experiment with no runs and one with one run", async () => {
    const { store, dir } = await fresh();
    await store.createExperiment({ name: "empty", version: "0.2.0" });
    const none = await exportExperiment(store, { experiment: "empty", out: dir });
    const scalars = await readParquet(join(dir, none.keys.scalars!));
    expect(scalars.rows).toEqual([]);
    expect(JSON.parse(scalars.kv.pandas!).index_columns).toEqual(["experiment_id", "sort_index", "run_id"]);
    expect((await readParquet(join(dir, none.keys.rows!))).rows).toEqual([]);
    const run = await store.startRun({ experiment: "one:1.0.0", params: { k: "v" } });
    await run.logMetric("m", 2);
    await run.finish();
    const one = await exportExperiment(store, { experiment: "one", out: dir });
    const read = await readParquet(join(dir, one.keys.scalars!));
    expect(read.rows).toMatchObject([{ run_id: run.runId, k: "v", m: 2, sort_index: 0n }]);
    // A second export in the same second gets its own folder.
    const again = await exportExperiment(store, {
      experiment: "one",
      out: dir,
      at: new Date(
        Date.parse(
          one.experimentId
            .split("/")[2]!
            .replace("_", "T")
            .replace(/-(\d\d)-(\d\d)$/, ":$1:$2") + "Z",
        ),
      ),
    });
    expect(again.folder).toBe(`${one.folder}_2`);
  });

  it("10,000 runs and a run of 100,000 rows, compared with the store column by column", async () => {
    const { store, dir } = await fresh();
    for (let i = 0; i < 10_000; i++) {
      const run = await store.startRun({
        experiment: "big:1.0.0",
        params: { lr: i % 7 === 0 ? 1 : i / 10_000, opt: i % 2 ? "adam" : "sgd", net: { width: i % 5 } },
      });
      void run.logMetrics(
        i % 11 === 0
          ? { acc: i / 10_000 }
          : { acc: i / 10_000, loss: i % 13 === 0 ? Number.NaN : 1 / (i + 1) },
      );
      void run.finish();
    }
    const wide = await store.startRun({
      experiment: "big:1.0.0",
      params: { lr: 0.5, opt: "rows", net: { width: 9 } },
    });
    for (let b = 0; b < 10; b++) {
      const rows = Array.from({ length: 10_000 }, (_, j) => {
        const k = b * 10_000 + j;
        return {
          datapointId: `d${String(k).padStart(6, "0")}`,
          item: { n: k },
          output: `o${k % 3}`,
          scores: { s: k % 17 === 0 ? Number.NaN : k / 7 },
        };
      });
      await wide.logRows(rows);
    }
    await wide.finish();
    const done = await exportExperiment(store, { experiment: "big", out: dir });
    expect([done.runs, done.rows]).toEqual([10_001, 100_000]);
    const scalars = await readParquet(join(dir, done.keys.scalars!));
    expect(JSON.parse(scalars.kv.pandas!).index_columns).toEqual([
      "experiment_id",
      "sort_index",
      "run_id",
      "lr",
      "opt",
    ]);
    const byId = new Map(scalars.rows.map((r) => [r.run_id as string, r]));
    const mismatches: string[] = [];
    let n = 0;
    for await (const run of store.iterateRuns({ experiment: "big", fields: ["params", "metrics"] })) {
      const row = byId.get(run.runId)!;
      const ok =
        row.lr === run.params!.lr &&
        row.opt === run.params!.opt &&
        same(row.acc, run.metrics!.acc ?? null) &&
        same(row.loss, run.metrics!.loss ?? null);
      if (!ok) mismatches.push(run.runId);
      n++;
    }
    expect([n, mismatches]).toEqual([10_001, []]);
    const rows = await readParquet(join(dir, done.keys.rows!));
    expect(rows.types).toMatchObject({ "item.n": "BIGINT", "scores.s": "DOUBLE", output: "VARCHAR" });
    let i = 0;
    for await (const r of store.iterateRowRecords(wide.runId, { batchSize: 10_000 })) {
      const got = rows.rows[i++]!;
      const ok =
        got.run_id === wide.runId &&
        got.datapoint_id === r.datapointId &&
        got["item.n"] === BigInt((r.item as { n: number }).n) &&
        got.output === r.output &&
        same(got["scores.s"], r.scores.s);
      if (!ok) mismatches.push(r.datapointId);
    }
    expect(mismatches).toEqual([]);
    expect(i).toBe(100_000);
  }, 240_000);

  it("reads back with pandas where python3 has pandas and pyarrow", async () => {
    let ok = true;
    try {
      execFileSync("python3", ["-c", "import pandas, pyarrow"], { stdio: "ignore" });
    } catch {
      ok = false;
    }
    if (!ok) {
      console.log("skipped: python3 lacks pandas or pyarrow; the pandas read of scalars.pq was not checked");
      return;
    }
    const { store, dir } = await fresh();
    await mixedStore(store);
    const done = await exportExperiment(store, { experiment: "mix", out: dir });
    const script = `import pandas as pd, json, sys
df = pd.read_parquet(sys.argv[1])
print(json.dumps({"index": list(df.index.names), "dtypes": {k: str(v) for k, v in df.dtypes.items()}}))`;
    const got = JSON.parse(
      execFileSync("python3", ["-c", script, join(dir, done.keys.scalars!)], { encoding: "utf8" }),
    );
    expect(got.index).toEqual(["experiment_id", "sort_index", "run_id", "lr", "label", "epochs"]);
    expect(got.dtypes).toMatchObject({ acc: "float64", loss: "float64", duration_ms: "float64" });
  });
});
