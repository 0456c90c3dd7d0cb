import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fixture, sweepFixture } from "../../results/test-support/fixture.js";
import { cli } from "../test-support/capture.js";

let fx: Fixture;
let out: string;
let ids: string[];
beforeAll(async () => {
  fx = await sweepFixture();
  ids = (await fx.store.listRuns()).map((r) => r.runId);
  out = mkdtempSync(join(tmpdir(), "labbook-cli-out-"));
});
afterAll(async () => {
  await fx.cleanup();
  rmSync(out, { recursive: true, force: true });
});

const run = (...args: string[]) => cli(["--store", fx.dir, ...args]);

describe("labbook experiments", () => {
  it("lists experiments as a table and as JSON", async () => {
    const t = await run("experiments");
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/name\s+version/);
    expect(t.stdout).toMatch(/other\s+0\.1\.0/);
    expect(t.stdout).toMatch(/sweep\s+1\.0\.0/);
    const j = await run("experiments", "--json");
    expect(JSON.parse(j.stdout).map((e: { experimentId: string }) => e.experimentId)).toEqual([
      "other:0.1.0",
      "sweep:1.0.0",
    ]);
  });
});

describe("a mistyped --store", () => {
  it("is an error for a command that only reads, and nothing is created there", async () => {
    const typo = join(out, "no-such-store");
    for (const args of [["runs"], ["experiments"], ["show", "x"], ["fields"], ["versions", "x"]]) {
      const r = await cli(["--store", typo, ...args]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("store: must name an existing labbook store folder");
      expect(r.stderr).toContain("no-such-store");
    }
    expect(existsSync(typo)).toBe(false);
  });
});

describe("labbook runs", () => {
  it("lists runs newest first, with filters and a limit", async () => {
    const t = await run("runs");
    expect(t.code).toBe(0);
    expect(t.stdout.split("\n")[2]).toContain(ids[0]!);
    expect(t.stdout).toContain("7 runs");
    const s = await run("runs", "--experiment", "sweep", "--status", "success", "--limit", "3", "--json");
    const rows = JSON.parse(s.stdout);
    expect(rows.length).toBe(3);
    expect(rows.every((r: { status: string; experimentId: string }) => r.status === "success")).toBe(true);
    expect(rows.every((r: { experimentId: string }) => r.experimentId === "sweep:1.0.0")).toBe(true);
    const several = JSON.parse((await run("runs", "--status", "failed,cancelled", "--json")).stdout);
    expect(several.map((r: { status: string }) => r.status).sort()).toEqual(["cancelled", "failed"]);
  });

  it("writes non-finite numbers as names in JSON and CSV", async () => {
    const j = JSON.parse((await run("runs", "--status", "failed", "--json")).stdout);
    expect(j[0].metrics.loss).toBe("Infinity");
    const c = await run("runs", "--experiment", "sweep:1.0.0", "--csv");
    const lines = c.stdout.split("\r\n");
    expect(lines[0]).toMatch(/^run_id,experiment_id,status,/);
    expect(lines.length).toBe(6 + 2);
    expect(c.stdout).toMatch(/,NaN\r\n/);
    expect(c.stdout).toContain(",Infinity,");
  });

  it("refuses bad options with one line and a non-zero code", async () => {
    for (const args of [
      ["runs", "--limit", "0"],
      ["runs", "--status", "done"],
      ["runs", "--experiment", "nope"],
      ["runs", "--experiment", "bad name!"],
    ]) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n").length).toBe(1);
      expect(r.stderr).toMatch(/^labbook: /);
    }
    expect((await run("runs", "--limit", "x")).stderr).toContain("--limit");
    const both = await run("runs", "--json", "--csv");
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/cannot be used with/);
  });
});

describe("labbook show", () => {
  it("shows params, metrics, tags, series, artifacts and data", async () => {
    const id = ids[ids.length - 1]!; // the first run logged
    const t = await run("show", id);
    expect(t.code).toBe(0);
    for (const part of [
      "params:",
      "model.kind",
      "metrics:",
      "acc",
      "tags:",
      "baseline",
      "series:",
      "loss",
      "3 steps",
    ]) {
      expect(t.stdout).toContain(part);
    }
    expect(t.stdout).toMatch(/artifacts:[\s\S]*weights\s+json\s+application\/json/);
    expect(t.stdout).toMatch(/data:\s+curve\s+float64\s+\[3\]/);
    const j = JSON.parse((await run("show", id, "--json")).stdout);
    expect(j.runId).toBe(id);
    expect(j.series).toEqual([{ name: "loss", steps: 3 }]);
    expect(j.artifacts.map((a: { name: string }) => a.name).sort()).toEqual(["blob", "notes", "weights"]);
    expect(j.data[0]).toMatchObject({ name: "curve", dtype: "float64", shape: [3] });
  });

  it("shows the error of a failed run", async () => {
    const failed = (await fx.store.listRuns({ status: "failed" }))[0]!;
    const t = await run("show", failed.runId);
    expect(t.stdout).toMatch(/error:\s+type\s+RangeError\s+message\s+diverged/);
  });

  it("an unknown run id is one line on stderr and exit code 1", async () => {
    const r = await run("show", "no-such-run");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("labbook: run no-such-run does not exist\n");
  });
});

describe("labbook export", () => {
  it("writes CSV to a file or a time-stamped file in a directory", async () => {
    const file = join(out, "runs.csv");
    const r = await run("export", "--format", "csv", "--out", file, "--experiment", "sweep");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote 6 runs to ${file}\n`);
    expect(readFileSync(file, "utf8").split("\r\n").length).toBe(6 + 2);
    const d = await run("export", "--format", "csv", "--out", out, "--include-fingerprints");
    const path = /to (.*)\n$/.exec(d.stdout)![1]!;
    expect(path).toMatch(/results_\d{8}_\d{6}\.csv$/);
    expect(readFileSync(path, "utf8")).toContain("params_fingerprint");
  });

  it("refuses an unknown format and a missing --out", async () => {
    const f = await run("export", "--format", "xlsx", "--out", out);
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/--format: must be one of csv, parquet, jsonl; received "xlsx"/);
    const o = await run("export", "--format", "csv");
    expect(o.code).not.toBe(0);
    expect(o.stderr).toMatch(/--out/);
  });
});
