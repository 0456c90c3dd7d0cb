import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RowInput } from "../../core/types.js";
import { openSqliteStore } from "../../store/sql/dialects/sqlite/open.js";
import { cli } from "../test-support/capture.js";

let dir: string;
const runs: Record<string, string> = {};

const ids = (n: number) => Array.from({ length: n }, (_, i) => `q${String(i).padStart(2, "0")}`);
const rows = (n: number, acc: (i: number) => number): RowInput[] =>
  ids(n).map((d, i) => ({ datapointId: d, scores: { acc: acc(i) } }));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "labbook-cli-compare-"));
  const store = await openSqliteStore(dir);
  const log = async (name: string, data: RowInput[], params: Record<string, unknown> = {}, acc?: number) => {
    const r = await store.startRun({ experiment: "cmp:1.0.0", name, params });
    await r.logRows(data);
    if (acc !== undefined) await r.logMetrics({ acc });
    await r.finish();
    runs[name] = r.runId;
  };
  await log(
    "base",
    rows(40, () => 0.8),
  );
  await log(
    "same",
    rows(40, () => 0.8),
  );
  // 30 of 40 datapoints drop by 0.02: significant; the average drops by 0.015.
  await log(
    "small-drop",
    rows(40, (i) => (i < 30 ? 0.78 : 0.8)),
  );
  await log(
    "big-drop",
    rows(40, (i) => (i < 30 ? 0.5 : 0.8)),
  );
  await log(
    "few",
    rows(5, () => 0.8),
  );
  for (let s = 0; s < 5; s++) {
    await log(`a${s}`, [], { model: "a", seed: s }, 0.8 + s * 0.01);
    await log(`b${s}`, [], { model: "b", seed: s }, 0.7 + s * 0.01);
  }
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => cli(["--store", dir, ...args]);

describe("labbook compare", () => {
  it("exit 0 on pass, with a per-metric table and the verdict", async () => {
    const r = await run("compare", runs.same!, runs.base!);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/metric\s+better\s+old\s+new\s+delta\s+95% CI\s+p/);
    expect(r.stdout).toMatch(
      /acc\s+higher\s+0\.8\s+0\.8\s+0\s+\[0, 0\]\s+1\s+permutation-exact\s+40\s+\+0 -0 =40/,
    );
    expect(r.stdout).toMatch(/verdict: PASS/);
  });

  it("exit 2 on warn (significant drop within --max-drop), 1 on block (beyond it)", async () => {
    const warn = await run("compare", runs["small-drop"]!, runs.base!, "--max-drop", "0.02");
    expect(warn.stdout).toMatch(/verdict: WARN/);
    expect(warn.code).toBe(2);
    const block = await run("compare", runs["small-drop"]!, runs.base!, "--max-drop", "0.01");
    expect(block.code).toBe(1);
    expect(block.stdout).toMatch(/acc: degraded significantly .* dropped by 0\.015 > maxDrop 0\.01/);
    expect((await run("compare", runs["big-drop"]!, runs.base!)).code).toBe(1);
  });

  it("exit 3 when too few datapoints are paired; --json and --markdown", async () => {
    const r = await run("compare", runs.few!, runs.base!, "--json", "--ids");
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ verdict: "inconclusive", commonDatapoints: 5, newOnly: 0, oldOnly: 35 });
    expect(j.oldOnlyIds[0]).toBe("q05");
    const md = await run("compare", runs.same!, runs.base!, "--markdown");
    expect(md.stdout).toMatch(/^\| metric \| better \|/m);
    expect(md.stdout).toMatch(/\*\*Verdict:\*\* PASS/);
  });

  it("documents the exit codes in --help; a bad option exits 1 with one line", async () => {
    const h = await run("compare", "--help");
    expect(h.stdout).toMatch(/0\s+pass/);
    expect(h.stdout).toMatch(/2\s+warn/);
    expect(h.stdout).toMatch(/1\s+block/);
    expect(h.stdout).toMatch(/3\s+inconclusive/);
    const bad = await run("compare", runs.same!, runs.base!, "--alpha", "x");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('labbook: --alpha: expected a number; received "x"\n');
    const drop = await run("compare", runs.same!, runs.base!, "--max-drop", "abc");
    expect(drop.code).toBe(1);
    expect(drop.stderr).toBe('labbook: --max-drop: expected a number; received "abc"\n');
    const groups = await run(
      "compare-groups",
      "--a",
      "status = 'x'",
      "--b",
      "status = 'y'",
      "--metric",
      "acc",
      "--alpha",
      "q",
    );
    expect(groups.stderr).toBe('labbook: --alpha: expected a number; received "q"\n');
    const pct = await run("agg-runs", "--metric", "acc", "--percentiles", "50,x");
    expect(pct.stderr).toBe('labbook: --percentiles: expected comma-separated numbers; received "x"\n');
  });

  it("a usage error (missing run, unknown option) exits 1, never 2 (warn)", async () => {
    const missing = await run("compare", runs.same!);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing required argument 'old-run'/);
    expect((await run("compare", runs.same!, runs.base!, "--bogus")).code).toBe(1);
    expect((await run("compare", runs.same!, runs.base!, "--max-drop")).code).toBe(1);
    expect((await run("compare", "--help")).code).toBe(0);
  });
});

describe("labbook compare-groups", () => {
  it("prints Welch's t-test per metric, or JSON", async () => {
    const t = await run(
      "compare-groups",
      "--a",
      'params.model = "a"',
      "--b",
      'params.model = "b"',
      "--metric",
      "acc",
    );
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/A: 5 runs, B: 5 runs/);
    expect(t.stdout).toMatch(/acc\s+5\s+0\.82\s+0\.01581\s+5\s+0\.72/);
    const j = JSON.parse(
      (
        await run(
          "compare-groups",
          "--a",
          'params.model = "a"',
          "--b",
          'params.model = "b"',
          "--metric",
          "acc",
          "--json",
        )
      ).stdout,
    );
    expect(j.metrics.acc.delta).toBeCloseTo(0.1, 12);
    expect(j.metrics.acc.test.name).toBe("welch-t");
    expect(j.metrics.acc.test.pValue).toBeLessThan(1e-4);
  });
});
