import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../store/sql/dialects/sqlite/open.js";
import { cli } from "../test-support/capture.js";
import { sparkline } from "./scores-format.js";

let dir: string;
let runId: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "labbook-cli-scores-"));
  const store = await openSqliteStore(dir);
  await store.createExperiment({ name: "qa" });
  await store.defineMetric("qa", { name: "acc", kind: "range", threshold: { min: 0.5 } });
  const run = await store.startRun({ experiment: "qa", params: { lr: 0.1 } });
  await run.logMetrics({ acc: 0.7 });
  await run.logRows(
    Array.from({ length: 10 }, (_, i) => ({
      datapointId: `q${i}`,
      scores: { acc: i / 10, tone: i % 3 === 0 ? "good" : "bad" },
    })),
  );
  await run.finish();
  runId = run.runId;
  for (const [lr, acc] of [
    [0.1, 0.9],
    [0.01, 0.5],
  ] as const) {
    const r = await store.startRun({ experiment: "qa", params: { lr } });
    await r.logMetrics({ acc });
    await r.finish();
  }
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => cli(["--store", dir, ...args]);

describe("labbook agg / result / agg-runs", () => {
  it("agg prints a table with a text histogram and rubric lines; --json the whole result", async () => {
    const t = await run("agg", runId, "--bins", "5");
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^run .*: 10 rows/);
    expect(t.stdout).toMatch(/score\s+count\s+nan\s+mean/);
    expect(t.stdout).toMatch(/acc\s+10\s+0\s+0\.45\s+.*█/);
    expect(t.stdout).toMatch(/tone: bad 6 \(60\.0%\), good 4 \(40\.0%\); mode bad/);
    const j = JSON.parse(
      (await run("agg", runId, "--scores", "acc", "--percentiles", "50", "--json")).stdout,
    );
    expect(j.scores[0]).toMatchObject({
      name: "acc",
      scoreType: "range",
      count: 10,
      percentiles: { p50: 0.45 },
    });
  });

  it("agg --compat nemo prints the NVIDIA evaluator's figures and names; a bad --compat names the flag", async () => {
    const t = await run("agg", runId, "--compat", "nemo");
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/name\s+count\s+nan_count\s+mean\s+std_dev\s+min\s+p10\s+p50\s+p90\s+p100/);
    expect(t.stdout).toMatch(/tone \(rubric\): count 10, nan_count 0; bad 6, good 4; mode_category bad/);
    const j = JSON.parse((await run("agg", runId, "--compat", "nemo", "--scores", "acc", "--json")).stdout);
    expect(j).toMatchObject({ compat: "nemo", rows: 10 });
    // 0, 0.1, ..., 0.9: p50 by the rank rule is 0.45; 10 histogram bins
    expect(j.scores[0]).toMatchObject({ name: "acc", count: 10, nan_count: 0, score_type: "range" });
    expect(j.scores[0].percentiles.p50).toBeCloseTo(0.45, 12);
    expect(j.scores[0].histogram.bins).toHaveLength(10);
    const bad = await run("agg", runId, "--compat", "mlflow");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--compat: expected nemo; received "mlflow"/);
  });

  it("result prints pass/fail and exits 2 with --check when the run did not pass", async () => {
    const t = await run("result", runId, "--aggregate", "median", "--failed");
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/NOT SUCCESSFUL, 5 passed, 5 failed, pass rate 50\.0%/);
    expect(t.stdout).toMatch(/metric\s+kind\s+median\s+count\s+passed\s+failed/);
    expect(t.stdout).toMatch(/q4\s+1\s+no\s+acc/);
    expect((await run("result", runId, "--check")).code).toBe(2);
    const j = JSON.parse((await run("result", runId, "--json", "--page-size", "3")).stdout);
    expect(j.datapoints.pagination).toEqual({ page: 1, pageSize: 3, totalPages: 4, totalResults: 10 });
    const bad = await run("result", runId, "--aggregate", "mode");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/aggregate: must be one of average/);
  });

  it("agg-runs groups runs by a param", async () => {
    const t = await run("agg-runs", "--metric", "acc", "--group-by", "params.lr");
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(
      /params\.lr\s+runs\s+metric\s+count\s+mean\s+std \(ddof 1\)\s+min\s+p50\s+p95\s+max/,
    );
    expect(t.stdout).toMatch(/0\.01\s+1\s+acc\s+1\s+0\.5/);
    // 0.7 and 0.9: the sample std (ddof 1, as pandas) is 0.14142, not the population 0.1
    expect(t.stdout).toMatch(/0\.1\s+2\s+acc\s+2\s+0\.8\s+0\.14142\s+0\.7\s+0\.8\s+0\.89\s+0\.9/);
    expect((await run("agg-runs")).stderr).toMatch(/--metric: is required/);
    const typo = await run("agg-runs", "--metric", "acc,acurracy");
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(
      /--metric: must name metrics that the matching runs have \(none has it\); received "acurracy"/,
    );
  });

  it("sparkline scales bars to the largest bin", () => {
    expect(sparkline([0, 1, 4, 2])).toBe(" ▂█▄");
    expect(sparkline([0, 0])).toBe("  ");
  });
});
