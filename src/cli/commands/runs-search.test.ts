import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fixture, sweepFixture } from "../../results/test-support/fixture.js";
import { cli } from "../test-support/capture.js";

let fx: Fixture;
beforeAll(async () => {
  fx = await sweepFixture();
});
afterAll(async () => fx.cleanup());

const run = (...args: string[]) => cli(["--store", fx.dir, ...args]);

describe("labbook runs with the query language", () => {
  it("--where with --sort and paging prints a page and its pagination", async () => {
    const t = await run(
      "runs",
      "--where",
      "metrics.acc >= 0.6",
      "--sort",
      "-metrics.acc",
      "--page-size",
      "2",
    );
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/page 1 of 2 \(3 matching runs\)/);
    const j = await run(
      "runs",
      "--where",
      "metrics.acc >= 0.6",
      "--sort",
      "-metrics.acc",
      "--page",
      "2",
      "--page-size",
      "2",
      "--json",
    );
    const page = JSON.parse(j.stdout);
    expect(page.pagination).toEqual({ page: 2, pageSize: 2, totalPages: 2, totalResults: 3 });
    expect(page.data.map((r: { metrics: { acc: number } }) => r.metrics.acc)).toEqual([0.6]);
  });

  it("--filter-json combines with --status and --experiment", async () => {
    const j = await run(
      "runs",
      "--filter-json",
      '{"params.lr": {"$gte": 0.5}}',
      "--status",
      "failed",
      "--experiment",
      "sweep",
      "--json",
    );
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout).data.map((r: { params: { lr: number } }) => r.params.lr)).toEqual([1]);
  });

  it("a bad filter is one clear line and exit 1", async () => {
    const t = await run("runs", "--where", "metrics.acc >");
    expect(t.code).toBe(1);
    expect(t.stderr.trim().split("\n")).toHaveLength(1);
    expect(t.stderr).toMatch(/^labbook: /);
    const j = await run("runs", "--filter-json", "{nope");
    expect(j.code).toBe(1);
    expect(j.stderr).toMatch(/--filter-json: must be JSON/);
  });
});
