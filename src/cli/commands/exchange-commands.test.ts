import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Results } from "../../results/results.js";
import { type Fixture, sweepFixture } from "../../results/test-support/fixture.js";
import { mlflowFixtures } from "../../store/exchange/test-support/fixtures.js";
import { readParquet } from "../../store/exchange/test-support/read-parquet.js";
import { cli } from "../test-support/capture.js";

let fx: Fixture;
let out: string;
beforeAll(async () => {
  fx = await sweepFixture();
  out = mkdtempSync(join(tmpdir(), "labbook-cli-exchange-"));
});
afterAll(async () => {
  await fx.cleanup();
  rmSync(out, { recursive: true, force: true });
});

const run = (...args: string[]) => cli(["--store", fx.dir, ...args]);

describe("labbook export --format parquet (Scythe's layout) and labbook exports", () => {
  it("writes the layout to a folder and lists it back", async () => {
    const dir = join(out, "layout");
    const r = await run("export", "--format", "parquet", "--experiment", "sweep", "--out", dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote 6 runs, 8 rows, 12 artifacts to file:\/\//);
    const scalarsKey = /scalars: (.*)\n/.exec(r.stdout)![1]!;
    const scalars = await readParquet(join(dir, scalarsKey));
    expect(scalars.rows.length).toBe(6);
    expect(JSON.parse(scalars.kv.pandas!).index_columns).toEqual([
      "experiment_id",
      "sort_index",
      "run_id",
      "lr",
      "seed",
    ]);
    const l = await cli(["exports", "sweep", "--out", dir, "--json"]);
    expect(l.code).toBe(0);
    const listed = JSON.parse(l.stdout);
    expect(listed.latestVersion).toBe("1.0.0");
    expect(listed.latest.keys.scalars).toBe(scalarsKey);
    const t = await cli(["exports", "sweep", "--out", dir]);
    expect(t.stdout).toContain("latest version: 1.0.0");
    const none = await cli(["exports", "nothing", "--out", dir]);
    expect(none.stdout).toContain("no export of nothing");
    const missing = await run("export", "--format", "parquet", "--out", dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--experiment");
  });
});

describe("one-file exports", () => {
  it("writes a search's runs to parquet, jsonl and csv", async () => {
    const file = join(out, "good.parquet");
    const r = await run("export", "--format", "parquet", "--out", file, "--where", "metrics.acc >= 0.6");
    expect(r.stdout).toBe(`wrote 3 runs to ${file}\n`);
    const read = await readParquet(file);
    expect(read.rows.map((x) => x.metric_acc)).toEqual(
      [0.6, 0.7, 0.8].map((v) => read.rows.find((x) => x.metric_acc === v)!.metric_acc),
    );
    expect(read.types).toMatchObject({
      param_lr: "DOUBLE",
      metric_acc: "DOUBLE",
      started_at: "TIMESTAMP WITH TIME ZONE",
      duration_ms: "BIGINT",
    });
    const jsonl = join(out, "all.jsonl");
    expect((await run("export", "--format", "jsonl", "--out", jsonl, "--experiment", "other")).code).toBe(0);
    const lines = readFileSync(jsonl, "utf8").trim().split("\n");
    expect(lines.length).toBe(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      labbook: 1,
      experiment: "other:0.1.0",
      params: { note: 'a,b "c"\nd' },
    });
  });

  it("writes a run's rows to parquet and jsonl, with a row filter", async () => {
    const [id] = (await fx.store.listRuns({ experiment: "sweep", status: "success", limit: 1 })).map(
      (x) => x.runId,
    );
    const file = join(out, "rows.parquet");
    const r = await run("rows", id!, "--format", "parquet", "--out", file, "--where", "scores.correct = 1");
    expect(r.code).toBe(0);
    const read = await readParquet(file);
    expect(JSON.parse(read.kv.pandas!).index_columns).toEqual(["datapoint_id", "trial"]);
    expect(read.rows.every((x) => x["scores.correct"] === 1 && x.passed === true)).toBe(true);
    const all = join(out, "rows.jsonl");
    expect((await run("rows", id!, "--out", all)).stdout).toBe(`wrote 2 rows to ${all}\n`);
    expect(
      readFileSync(all, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).datapointId),
    ).toEqual(["d1", "d2"]);
  });

  it("Results.toParquet writes the table beside toCsv", async () => {
    const results = await Results.fromStore(fx.store, { experiment: "sweep" });
    const path = await results.toParquet(join(out, "table.parquet"));
    const read = await readParquet(path);
    expect(read.names).toEqual(Object.keys(results.table()[0]!));
    expect(read.rows.map((x) => x.run_id)).toEqual(results.runs.map((x) => x.runId));
    expect(read.rows[1]!.metric_odd).toBeNaN();
    expect(read.rows[4]!.metric_acc).toBeNull();
    expect(await results.toParquet(`${out}/`)).toMatch(/results_\d{8}_\d{6}\.parquet$/);
  });
});

describe("labbook import", () => {
  it("imports an MLflow file store and database with a summary; twice changes nothing", async () => {
    const store = join(out, "imported");
    const fixtures = mlflowFixtures();
    const a = await cli(["--store", store, "import", "mlflow", join(fixtures, "mlruns")]);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(
      /^imported 9 runs \(0 updated, 0 unchanged, 0 deleted in MLflow left out\) of 3 experiments/,
    );
    expect(a.stdout).toContain("12 artifacts");
    const b = await cli([
      "--store",
      store,
      "import",
      "mlflow",
      `sqlite:///${join(fixtures, "mlflow.db").slice(1)}`,
      "--json",
    ]);
    expect(JSON.parse(b.stdout)).toMatchObject({ runs: 9, errors: [] });
    const again = await cli(["--store", store, "import", "mlflow", join(fixtures, "mlruns"), "--json"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ runs: 0, unchanged: 9 });
  });

  it("round-trips JSONL through the CLI and reports a malformed line on stderr with exit code 1", async () => {
    const file = join(out, "rt.jsonl");
    expect(
      (await run("export", "--format", "jsonl", "--out", file, "--series", "--rows", "--artifacts")).code,
    ).toBe(0);
    const target = join(out, "rt-store");
    const r = await cli(["--store", target, "import", "jsonl", file]);
    expect(r.stdout).toBe(`imported 7 runs (0 already present), 8 rows, 12 artifacts from ${file}\n`);
    const broken = join(out, "broken.jsonl");
    writeFileSync(broken, `${readFileSync(file, "utf8").split("\n")[0]}\nnot json\n`);
    const e = await cli(["--store", join(out, "rt-store-2"), "import", "jsonl", broken]);
    expect(e.code).toBe(1);
    expect(e.stdout).toContain("imported 1 runs");
    expect(e.stderr).toMatch(/^labbook: line 2: json: is not valid JSON/);
  });
});
