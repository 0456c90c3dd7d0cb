import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { Store } from "../../types.js";
import { mlflowParams } from "../mlflow-import.js";
import { mlflowFixtures } from "./fixtures.js";

const T0 = 1_700_000_000_000;

export interface ExpectedRun {
  run_id: string;
  name: string;
  status: string;
  params: Record<string, string>;
  metrics: Record<string, number | string>;
  series?: Record<string, { points: number; first: number; last: number }>;
  tags: Record<string, string>;
  artifacts?: string[];
}
export interface Expected {
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
export async function digest(store: Store): Promise<string> {
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

export async function checkStore(store: Store, which: "mlruns" | "mlflow.db"): Promise<void> {
  const expected = mlflowExpected();
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

/** `expected.json` of the MLflow fixtures: what MLflow 2.9.2 wrote to each store, run by run. */
export function mlflowExpected(): Record<string, Expected> {
  return JSON.parse(readFileSync(join(mlflowFixtures(), "expected.json"), "utf8")) as Record<
    string,
    Expected
  >;
}
