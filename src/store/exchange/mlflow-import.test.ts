import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { describeDialects, useTempStores } from "../sql/test-support/temp-store.js";
import type { Store } from "../types.js";
import { importMlflow, mlflowParams } from "./mlflow-import.js";
import { mlflowFixtures } from "./test-support/fixtures.js";

const FIXTURES = mlflowFixtures();
const expected = JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8")) as Record<
  string,
  Expected
>;
const T0 = 1_700_000_000_000;
const scratch = mkdtempSync(join(tmpdir(), "labbook-mlflow-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface ExpectedRun {
  run_id: string;
  name: string;
  status: string;
  params: Record<string, string>;
  metrics: Record<string, number | string>;
  series?: Record<string, { points: number; first: number; last: number }>;
  tags: Record<string, string>;
  artifacts?: string[];
}
interface Expected {
  experiments: { name: string; tags: Record<string, string>; runs: ExpectedRun[] }[];
}

const STATUS: Record<string, string> = {
  FINISHED: "success",
  FAILED: "failed",
  KILLED: "cancelled",
  RUNNING: "running",
};

/** A param as the importer types it back: numbers and booleans parsed, the rest kept. */
function typed(v: string): unknown {
  if (v === "True" || v === "False") return v === "True";
  return /^[\d.]+$/.test(v) ? Number(v) : v;
}

function metricValue(v: number | string): number {
  return v === "nan" ? Number.NaN : v === "inf" ? Number.POSITIVE_INFINITY : (v as number);
}

/** Everything of every run, for comparing a store before and after a second import. */
async function digest(store: Store): Promise<string> {
  const parts: unknown[] = [];
  for (const r of await store.listRuns()) {
    const series = await Promise.all(
      (await store.listSeries(r.runId)).map((n) => store.getSeries(r.runId, n)),
    );
    parts.push([
      r,
      series,
      await store.listArtifacts(r.runId),
      await store.listData(r.runId),
      await mlflowParams(store, r.runId),
    ]);
  }
  parts.push(await store.listExperiments());
  return JSON.stringify(parts, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}

async function checkStore(store: Store, which: string): Promise<void> {
  for (const exp of expected[which]!.experiments) {
    const info = await store.getExperiment(exp.name);
    expect(info.tags).toEqual(exp.tags);
    for (const [i, want] of exp.runs.entries()) {
      const run = await store.getRun(want.run_id);
      expect(run.experimentId).toBe(`${exp.name}:0.1.0`);
      expect(run.name).toBe(want.name);
      expect(run.status).toBe(STATUS[want.status]);
      expect(run.params).toEqual(
        Object.fromEntries(Object.entries(want.params).map(([k, v]) => [k, typed(v)])),
      );
      expect((await store.getData(run.runId, "mlflow")) as { params: unknown }).toMatchObject({
        params: want.params,
      });
      for (const [k, v] of Object.entries(want.metrics)) expect(run.metrics[k]).toBe(metricValue(v));
      expect(Object.keys(run.metrics).sort()).toEqual(Object.keys(want.metrics).sort());
      expect(run.tags).toMatchObject(want.tags);
      expect(run.tags["mlflow.runId"]).toBe(want.run_id);
      if (exp.name === "mnist-sweep") {
        const loss = await store.getSeries(run.runId, "loss");
        expect(loss.steps).toEqual(Array.from({ length: 50 }, (_, s) => s));
        expect([loss.values.length, loss.values[0], loss.values[49]]).toEqual([
          want.series!.loss!.points,
          want.series!.loss!.first,
          want.series!.loss!.last,
        ]);
        expect(loss.timestamps).toEqual(loss.steps.map((s) => T0 + i * 100_000 + s * 1000));
        expect(await store.getSeries(run.runId, "acc")).toEqual({
          steps: [49],
          values: [want.metrics.acc],
          timestamps: [T0 + i * 100_000 + 50_000],
        });
        expect(run.finishedAt).toBe(new Date(T0 + i * 100_000 + 60_000).toISOString());
        expect(run.tags["mlflow.user"]).toBe("ci");
        const artifacts = (await store.listArtifacts(run.runId)).map((a) => a.name).sort();
        expect(artifacts).toEqual(["model__weights.json", "notes.txt"]);
        expect(want.artifacts).toEqual(["notes.txt", "model/weights.json"]);
        const lr = want.params.lr;
        expect(Buffer.from((await store.getArtifact(run.runId, "notes.txt")).bytes).toString()).toBe(
          `run ${i}: lr=${lr} optimizer=${want.params.optimizer}\n`,
        );
        expect(
          JSON.parse(
            Buffer.from((await store.getArtifact(run.runId, "model__weights.json")).bytes).toString(),
          ),
        ).toEqual({ w: [i, i + 1, i + 2] });
        expect(((await store.getData(run.runId, "mlflow")) as { artifacts: unknown }).artifacts).toEqual({
          "model__weights.json": "model/weights.json",
          "notes.txt": "notes.txt",
        });
      } else {
        expect(run.params.prompt_template).toHaveLength(2000);
        const em = await store.getSeries(run.runId, "exact_match");
        expect(em).toEqual({ steps: [0], values: [want.metrics.exact_match], timestamps: [T0 + i * 1000] });
        expect(run.finishedAt).toBe(
          want.status === "RUNNING" ? null : new Date(T0 + i * 1000 + 500).toISOString(),
        );
        expect(run.startedAt).not.toBeNull();
      }
    }
  }
}

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
    const copy = join(scratch, "mlruns");
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
