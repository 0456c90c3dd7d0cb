import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../store/sql/dialects/sqlite/open.js";
import { cli } from "../test-support/capture.js";

const moduleTs = join(import.meta.dirname, "..", "..", "runner", "test-support", "sweep-module.ts");
const defineTs = pathToFileURL(join(import.meta.dirname, "..", "..", "runner", "define.ts")).href;
let root: string;
let store: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "labbook-cli-run-"));
  store = join(root, "store");
  Object.assign(process.env, { SWEEP_NAME: "cli-sweep", SWEEP_TO: "6", SWEEP_FAIL_EVERY: "4" });
});
afterAll(() => {
  for (const k of ["SWEEP_NAME", "SWEEP_TO", "SWEEP_FAIL_EVERY"]) delete process.env[k];
  rmSync(root, { recursive: true, force: true });
});

const run = (...args: string[]) => cli(["--store", store, ...args]);

describe("labbook run, executions, versions, merge", () => {
  it("runs a module's experiment, refuses a relaunch without --resume, resumes", async () => {
    const first = await run("run", moduleTs, "--concurrency", "2", "--no-progress");
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^execution \d{8}_\d{6}(_\d+)? of cli-sweep:1\.0\.0: 5 success, 1 failed, 0 cancelled, 0 skipped of 6 runs/,
    );
    const again = await run("run", moduleTs, "--no-progress");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already stored; pass resume: true \(--resume\)/);
    const resumed = await run("run", moduleTs, "--rerun-failed", "--json", "--no-progress");
    expect(resumed.code).toBe(0);
    const record = JSON.parse(resumed.stdout);
    expect(record.manifest.counts).toMatchObject({ failed: 1, skipped: 5, total: 6 });
    expect(record.status).toBe("finished");
  });

  it("runs a .mjs module and refuses a file without an experiment", async () => {
    const file = join(root, "plain.mjs");
    writeFileSync(
      file,
      `import { defineExperiment } from ${JSON.stringify(defineTs)};
export default defineExperiment({ name: "mjs-sweep", params: { x: [1, 2, 3] }, run: async ({ params, capture }) => { await capture.metric("double", params.x * 2); } });\n`,
    );
    const r = await run("run", file, "--no-progress");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("3 success");
    const bad = join(root, "bad.mjs");
    writeFileSync(bad, "export const x = 1;\n");
    const b = await run("run", bad);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/must export an experiment made by defineExperiment as its default export/);
    expect((await run("run", join(root, "missing.mjs"))).stderr).toMatch(
      /file: must name an existing module file/,
    );
  });

  it("lists executions and versions, as tables and JSON", async () => {
    const t = await run("executions", "cli-sweep");
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/execution\s+version\s+status/);
    expect(t.stdout.split("\n").filter((l) => /^\d{8}_\d{6}/.test(l))).toHaveLength(2);
    const j = JSON.parse((await run("executions", "cli-sweep", "--json")).stdout);
    expect(j[0].manifest.paramsSchema.properties.i.type).toBe("integer");
    const v = JSON.parse((await run("versions", "cli-sweep", "--json")).stdout);
    expect(v).toEqual([{ version: "1.0.0", createdAt: expect.any(String), executions: 2, latest: true }]);
    expect((await run("versions", "cli-sweep")).stdout).toMatch(/1\.0\.0\s.*\s2\s+latest/);
    const unknown = await run("versions", "nothing");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("experiment nothing does not exist");
    const objects = (await run("executions", "cli-sweep", "--objects")).stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(objects.filter((o) => o.kind === "run")).toHaveLength(6);
    expect(objects.filter((o) => o.value?.name === "shared-model")).toHaveLength(1);
    const bad = await run("executions", "cli-sweep", "--objects", "--execution", "20000101_000000");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no execution 20000101_000000/);
  });

  it("merges another store idempotently", async () => {
    const other = join(root, "other");
    const s = await openSqliteStore(other);
    const h = await s.startRun({ experiment: "elsewhere", params: { a: 1 }, runId: "deterministic" });
    await h.logMetric("m", 1, { step: 0 });
    await h.finish();
    await s.close();
    const m = await run("merge", other, "--json");
    expect(m.code).toBe(0);
    expect(JSON.parse(m.stdout)).toMatchObject({ experiments: 1, runs: 1, seriesPoints: 1 });
    const again = await run("merge", other);
    expect(again.stdout).toContain("nothing to merge");
  });

  it("refuses to merge a folder that holds no store, and creates nothing there", async () => {
    const missing = join(root, "no-such-store");
    const m = await run("merge", missing);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(
      /^labbook: other: no labbook store in ".*no-such-store" \(no labbook\.db there\)\n$/,
    );
    expect(existsSync(missing)).toBe(false);
  });
});
