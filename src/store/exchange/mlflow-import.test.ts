import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { describeDialects, useTempStores } from "../sql/test-support/temp-store.js";
import { importMlflow } from "./mlflow-import.js";
import { mlflowFixtures } from "./test-support/fixtures.js";
import { checkStore, digest, mlflowExpected } from "./test-support/mlflow-expected.js";

const FIXTURES = mlflowFixtures();
const expected = mlflowExpected();
const scratch = mkdtempSync(join(tmpdir(), "labbook-mlflow-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describeDialects("importMlflow over MLflow 2.9.2's own data", (dialect) => {
  const fresh = useTempStores("mlflow", dialect);
  for (const [which, source] of [
    ["mlruns", join(FIXTURES, "mlruns")],
    ["mlflow.db", `sqlite:///${join(FIXTURES, "mlflow.db").slice(1)}`],
  ] as const) {
    it(`${which}: every run, param, metric, series point, tag and artifact; twice changes nothing`, async () => {
      const { store } = await fresh();
      const report = await importMlflow(store, source);
      expect(report).toMatchObject({
        experiments: 3,
        runs: 9,
        replaced: 0,
        unchanged: 0,
        errors: [],
        artifacts: 12,
      });
      expect(report.seriesPoints).toBe(6 * 51 + 3 * 3);
      await checkStore(store, which);
      const before = await digest(store);
      const again = await importMlflow(store, source);
      expect(again).toMatchObject({ runs: 0, replaced: 0, unchanged: 9, errors: [] });
      expect(await digest(store)).toBe(before);
    });
  }

  it("a malformed run is reported by id and the rest imported; a run that ended since is written again", async () => {
    const copy = join(scratch, `mlruns-${dialect}`);
    cpSync(join(FIXTURES, "mlruns"), copy, { recursive: true });
    const sweep = expected.mlruns!.experiments[0]!.runs;
    const bad = sweep[0]!.run_id;
    const expDir = join(copy, "447325018393877146");
    writeFileSync(join(expDir, bad, "metrics", "loss"), "1700000400000 not-a-number 0\n");
    // A run id of digits around one "e" reads as a number in YAML; it must stay the id.
    const digits = "12345678901234567890123456789e12";
    const good = sweep[1]!.run_id;
    cpSync(join(expDir, good), join(expDir, digits), { recursive: true });
    const m = join(expDir, digits, "meta.yaml");
    writeFileSync(m, readFileSync(m, "utf8").replaceAll(good, digits));
    const { store } = await fresh();
    const report = await importMlflow(store, copy);
    expect(report.runs).toBe(9);
    expect((await store.getRun(digits)).tags["mlflow.runId"]).toBe(digits);
    expect(report.errors).toEqual([
      { runId: bad, experiment: "mnist-sweep", message: expect.stringContaining("not-a-number") },
    ]);
    await expect(store.getRun(bad)).rejects.toThrow(/does not exist/);
    // The running eval ends in MLflow; the next import brings its end and keeps the others.
    const llm = expected.mlruns!.experiments[1]!.runs[2]!;
    const meta = join(copy, "341465292292606867", llm.run_id, "meta.yaml");
    writeFileSync(
      meta,
      readFileSync(meta, "utf8")
        .replace("end_time: null", "end_time: 1700000009000")
        .replace("status: 1", "status: 3"),
    );
    const again = await importMlflow(store, copy);
    expect(again).toMatchObject({ runs: 0, replaced: 1, unchanged: 8 });
    expect(again.errors.map((e) => e.runId)).toEqual([bad]);
    expect((await store.getRun(llm.run_id)).status).toBe("success");
    expect((await store.getRun(llm.run_id)).finishedAt).toBe(new Date(1_700_000_009_000).toISOString());
  });
  it("runs written together in one transaction: one refused on writing is reported, the others kept", async () => {
    const copy = join(scratch, `mlruns-${dialect}-batch`);
    cpSync(join(FIXTURES, "mlruns"), copy, { recursive: true });
    // The three runs of the LLM evaluation have no artifacts; with a temperature spelled as
    // labbook spells it back (not "0.0"), they keep no data either: they are written together.
    const evals = expected.mlruns!.experiments[1]!.runs;
    for (const r of evals)
      writeFileSync(join(copy, "341465292292606867", r.run_id, "params", "temperature"), "0.5");
    const bad = evals[0]!.run_id;
    // MLflow reads any file name as a metric; labbook refuses a name over 200 characters.
    const long = `m${"x".repeat(200)}`;
    writeFileSync(join(copy, "341465292292606867", bad, "metrics", long), "1700000400000 1 0\n");
    const { store } = await fresh();
    const together: number[] = [];
    const writeRuns = store.writeRuns.bind(store);
    store.writeRuns = (writes) => {
      together.push(writes.length);
      return writeRuns(writes);
    };
    const report = await importMlflow(store, copy);
    expect(together).toContain(evals.length);
    expect(report.errors).toEqual([
      { runId: bad, experiment: expect.any(String), message: expect.stringContaining("200 characters") },
    ]);
    expect(report.runs).toBe(8);
    await expect(store.getRun(bad)).rejects.toThrow(/does not exist/);
    for (const r of evals.slice(1)) expect((await store.getRun(r.run_id)).name).toBe(r.name);
    const again = await importMlflow(store, copy);
    expect(again).toMatchObject({ runs: 0, unchanged: 8 });
    expect(again.errors.map((e) => e.runId)).toEqual([bad]);
  });
});
