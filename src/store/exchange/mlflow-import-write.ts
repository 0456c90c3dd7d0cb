import { join } from "node:path";
import type { MetricEntry } from "../../core/types.js";
import { mediaTypeOf } from "../artifact-payload.js";
import type { RunCreate, RunWriteBatch, Store } from "../types.js";
import type { MlflowImportReport } from "./mlflow-import.js";
import type { MlflowRun } from "./mlflow-source.js";

/** What importing one run writes: its batch, and its data and artifacts when it has any. */
export interface RunPlan {
  run: MlflowRun;
  runId: string;
  experiment: string;
  create: RunCreate;
  entries: MetricEntry[];
  end: RunWriteBatch["end"];
  data: Record<string, unknown> | null;
  folder: string | null;
  /** Artifact name to its path in the run's artifact folder. */
  mapping: Record<string, string>;
  replacing: boolean;
}

/** A run written only by its batch (no data, no artifacts). */
const batchOnly = (p: RunPlan) => p.data === null && Object.keys(p.mapping).length === 0;

/** Metric values of the runs written in one transaction at most (a request well under a server's JSON limit). */
const GROUP_VALUES = 50_000;

/**
 * Writes planned runs: those without data and artifacts together, in groups of at most
 * {@link GROUP_VALUES} metric values, one transaction each (a group that fails is written one
 * run at a time, so that the failing run is the only one reported); the others one by one.
 */
export async function writePlans(store: Store, plans: readonly RunPlan[], report: MlflowImportReport) {
  const written = new Set<RunPlan>();
  let group: RunPlan[] = [];
  let values = 0;
  const flush = async () => {
    const ok =
      group.length > 1 &&
      (await store.writeRuns(group.map((p) => ({ runId: p.runId, batch: batchOf(p, true) }))).then(
        () => true,
        () => false,
      ));
    if (ok) for (const p of group) written.add(p);
    group = [];
    values = 0;
  };
  for (const p of plans.filter(batchOnly)) {
    if (group.length > 0 && values + p.entries.length > GROUP_VALUES) await flush();
    group.push(p);
    values += p.entries.length;
  }
  await flush();
  for (const p of plans) {
    if (written.has(p)) counted(p, report);
    else await writePlan(store, p, report);
  }
}

/** The run's batch; its end only when `ended` (a run with artifacts ends after them). */
function batchOf(p: RunPlan, ended: boolean): RunWriteBatch {
  return { create: p.create, metrics: p.entries, ...(p.end && ended ? { end: p.end } : {}) };
}

function counted(p: RunPlan, report: MlflowImportReport): void {
  if (p.replacing) report.replaced++;
  else report.runs++;
  report.params += Object.keys(p.create.params).length;
  report.metrics += new Set(p.entries.map((e) => e.name)).size;
  report.seriesPoints += p.entries.length;
  report.tags += Object.keys(p.create.tags).length;
  report.artifacts += Object.keys(p.mapping).length;
}

async function writePlan(store: Store, p: RunPlan, report: MlflowImportReport): Promise<void> {
  const files = Object.keys(p.mapping).length;
  let written = false;
  try {
    // One transaction for a run without artifacts; with artifacts the run ends after them, so an
    // import cut short leaves a running run, which the next import writes again.
    await store.writeRun(p.runId, batchOf(p, files === 0));
    written = true;
    if (p.data) await store.putData(p.runId, "mlflow", p.data);
    for (const [name, path] of Object.entries(p.mapping)) {
      await store.putArtifact(
        p.runId,
        name,
        { path: join(p.folder!, path) },
        { kind: "file", mediaType: mediaTypeOf(path) },
      );
    }
    if (p.end && files > 0) await store.writeRun(p.runId, { end: p.end });
    counted(p, report);
  } catch (e) {
    if (written) await store.deleteRun(p.runId).catch(() => undefined);
    report.errors.push({
      runId: p.run.runId,
      experiment: p.experiment,
      message: e instanceof Error ? e.message : String(e),
    });
  }
}
