import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadExecution } from "../../runner/execution.js";
import { openSqliteStore } from "../sql/dialects/sqlite/open.js";

const script = join(import.meta.dirname, "..", "..", "runner", "test-support", "sweep-child.ts");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function sweep(dir: string, env: Record<string, string>): Promise<number | null> {
  const p = spawn(process.execPath, ["--import", "tsx", script, dir, "2"], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, SWEEP_NAME: "shared", ...env },
  });
  let err = "";
  p.stderr.on("data", (d) => {
    err += d;
  });
  return new Promise((resolve, reject) =>
    p.on("exit", (code) => (code === 0 ? resolve(code) : reject(new Error(`sweep failed: ${err}`)))),
  );
}

describe("merging stores", () => {
  it("two stores written by two processes from one experiment merge into a third with no duplicates, twice", async () => {
    const root = mkdtempSync(join(tmpdir(), "labbook-merge-"));
    dirs.push(root);
    const [a, b, c] = ["a", "b", "c"].map((n) => join(root, n)) as [string, string, string];
    await Promise.all([
      sweep(a, { SWEEP_FROM: "0", SWEEP_TO: "15", SWEEP_DERIVED: "1", SWEEP_FAIL_EVERY: "7" }),
      sweep(b, { SWEEP_FROM: "5", SWEEP_TO: "20" }),
    ]);
    const target = await openSqliteStore(c);
    const sa = await openSqliteStore(a);
    const sb = await openSqliteStore(b);
    try {
      const r1 = await target.merge(sa);
      expect(r1).toMatchObject({
        experiments: 1,
        runs: 15,
        runsSkipped: 0,
        executions: 1,
        rows: 26,
        artifacts: 26,
        data: 13,
        derived: 1,
      });
      // 13 successful runs log 2 rows, a note and a log, data; runs 6 and 13 fail first.
      expect(r1.seriesPoints).toBe(13 * 3);
      const r2 = await target.merge(sb);
      // Runs 5..14 are in both; the two failed in A (6, 13) succeeded in B: replaced.
      expect(r2).toMatchObject({ experiments: 0, runs: 5, runsReplaced: 2, runsSkipped: 8, executions: 1 });
      const runs = await target.listRuns({ experiment: "shared" });
      expect(runs).toHaveLength(20);
      expect(new Set(runs.map((r) => r.runId)).size).toBe(20);
      expect(runs.every((r) => r.status === "success")).toBe(true);
      for (const again of [await target.merge(sa), await target.merge(sb)]) {
        expect(
          again.runs + again.runsReplaced + again.executions + again.executionObjects + again.savedObjects,
        ).toBe(0);
        expect(again.experiments + again.rows + again.artifacts + again.data + again.derived).toBe(0);
      }
      expect(await target.listRuns({ experiment: "shared" })).toHaveLength(20);
      const one = runs.find((r) => r.params.i === 9)!;
      const original = await sa.getRun(one.runId); // copied from A, merged first
      expect(one).toMatchObject({
        params: original.params,
        tags: original.tags,
        metrics: original.metrics,
        startedAt: original.startedAt,
        finishedAt: original.finishedAt,
        paramsFingerprint: original.paramsFingerprint,
      });
      expect(await target.getSeries(one.runId, "loss")).toEqual(await sa.getSeries(one.runId, "loss"));
      expect(await target.getData(one.runId, "vec")).toEqual(new Float64Array([9, 9.5]));
      expect(Buffer.from((await target.getArtifact(one.runId, "note.txt")).bytes).toString()).toBe("run 9");
      const rows = [];
      for await (const r of target.iterateRowRecords(one.runId)) rows.push(r);
      expect(rows.map((r) => r.scores)).toEqual([{ em: 1 }, { em: 1, label: "ok" }]);
      const executions = await target.listExecutions("shared");
      expect(executions).toHaveLength(2);
      expect(new Set(executions.map((e) => e.executionId)).size).toBe(2);
      for (const e of executions) {
        const loaded = await loadExecution(target, "shared", { executionId: e.executionId });
        expect(loaded.runs.size).toBe(15);
        const configs = [...loaded.runs.values()];
        expect(configs[0]!.model).toBe(configs[14]!.model);
      }
      const mine = runs.filter((r) => r.executionId !== null);
      const ids = new Set(executions.map((e) => e.executionId));
      expect(mine.every((r) => ids.has(r.executionId!))).toBe(true);
    } finally {
      await Promise.all([target.close(), sa.close(), sb.close()]);
    }
  });
});
