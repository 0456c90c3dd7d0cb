import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../store/sql/dialects/sqlite/open.js";
import { cli } from "../test-support/capture.js";

let dir: string;
let runId: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "labbook-cli-search-"));
  const store = await openSqliteStore(dir);
  await store.ensureExperiment({ name: "qa" });
  await store.defineMetric("qa", { name: "exact_match", kind: "range", threshold: { passWhen: true } });
  const run = await store.startRun({ experiment: "qa", params: { model: "b" } });
  await run.logRows(
    ["a", "b", "c", "d"].map((id, i) => ({
      datapointId: id,
      item: { question: `q${i}`, category: i % 2 ? "math" : "code" },
      output: `answer ${i}`,
      scores: { exact_match: i % 2 === 0, f1: i / 4 },
    })),
  );
  await run.logMetrics({ acc: 0.5 });
  await run.finish();
  runId = run.runId;
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => cli(["--store", dir, ...args]);

describe("labbook rows", () => {
  it("filters, sorts and pages a run's rows", async () => {
    const t = await run("rows", runId, "--where", "scores.exact_match = 0");
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/datapoint_id\s+trial\s+passed\s+exact_match\s+f1\s+item\s+output/);
    expect(t.stdout).toMatch(/\nb\s+0\s+no\s+false/);
    expect(t.stdout).toContain("2 rows; page 1 of 1");
    const j = JSON.parse(
      (await run("rows", runId, "--where", 'item.category = "code"', "--sort", "-scores.f1", "--json"))
        .stdout,
    );
    expect(j.data.map((r: { datapointId: string }) => r.datapointId)).toEqual(["c", "a"]);
    expect(j.pagination).toEqual({ page: 1, pageSize: 100, totalPages: 1, totalResults: 2 });
    const p = JSON.parse(
      (
        await run(
          "rows",
          runId,
          "--filter-json",
          '{"passed": true}',
          "--page",
          "2",
          "--page-size",
          "1",
          "--json",
        )
      ).stdout,
    );
    expect(p.data.map((r: { datapointId: string }) => r.datapointId)).toEqual(["c"]);
    expect(p.pagination.totalPages).toBe(2);
  });

  it("reports a bad filter in one line naming the position", async () => {
    const t = await run("rows", runId, "--where", "(scores.f1 > 1");
    expect(t.code).toBe(1);
    expect(t.stderr).toBe(
      "labbook: filter at position 14: expected `)` to close the parenthesis, `and` or `or`; received the end of the filter\n",
    );
    const j = await run("rows", runId, "--filter-json", "{oops");
    expect(j.code).toBe(1);
    expect(j.stderr).toMatch(/^labbook: --filter-json: must be JSON/);
    expect((await run("rows", runId, "--page", "0")).stderr).toMatch(/--page: must be a whole number/);
  });
});

describe("labbook fields", () => {
  it("prints the field catalog as a table and as JSON", async () => {
    const t = await run("fields");
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/field\s+types\s+runs\s+min\s+max\s+values/);
    expect(t.stdout).toMatch(/params\.model\s+string\s+1\s+b\s+b\s+b/);
    const j = JSON.parse((await run("fields", "--experiment", "qa", "--json")).stdout);
    expect(j.find((f: { field: string }) => f.field === "metrics.acc")).toMatchObject({
      types: ["number"],
      count: 1,
      min: 0.5,
    });
    // an unknown experiment is an error (exit 1), as `runs --experiment nope` is
    const nope = await run("fields", "--experiment", "nope");
    expect(nope.code).toBe(1);
    expect(nope.stderr).toBe("labbook: experiment nope does not exist\n");
  });

  it("prints times as ISO dates, and distinct values that round alike in full", async () => {
    const store = await openSqliteStore(dir);
    for (const lr of [0.1, 0.100001, 0.2]) {
      const r = await store.startRun({ experiment: "round", params: { lr } });
      await r.finish();
    }
    await store.close();
    const t = await run("fields", "--experiment", "round");
    const line = (f: string) => t.stdout.split("\n").find((l) => l.startsWith(`${f} `))!;
    expect(line("created_at")).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\s+\d{4}-\d\d-\d\dT/);
    expect(line("created_at")).not.toMatch(/\b1\.\d+e\+12\b|\b17\d{11}\b/);
    // 0.1 and 0.100001 both print as 0.1 at 4 digits: shown in full instead
    expect(line("params.lr")).toMatch(/0\.1, 0\.100001, 0\.2$/);
  });
});
