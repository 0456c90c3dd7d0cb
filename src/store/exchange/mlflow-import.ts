import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { canonicalJson } from "../../core/canonical.js";
import type { MetricEntry, RunRecord, RunStatus } from "../../core/types.js";
import type { RunCreate, Store } from "../types.js";
import { mlflowFileStore } from "./mlflow-file-store.js";
import { type RunPlan, writePlans } from "./mlflow-import-write.js";
import { isPostgresUri, mlflowPostgres } from "./mlflow-postgres.js";
import type { MlflowExperiment, MlflowRun, MlflowSource } from "./mlflow-source.js";
import { mlflowSqlite } from "./mlflow-sqlite.js";
import {
  artifactName,
  experimentName,
  labbookRunId,
  STATUS,
  spelledParam,
  typedParam,
} from "./mlflow-values.js";
import { countProgress } from "./progress.js";

/** Options of {@link importMlflow}. */
export interface MlflowImportOptions {
  /** The labbook version the MLflow experiments are imported as (default `0.1.0`). */
  version?: string;
  /** Copy each run's artifacts when they are on this machine (default true). */
  artifacts?: boolean;
  /** A progress bar on stderr when it is a TTY. */
  progress?: boolean;
  /**
   * Where artifacts copied from the machine MLflow ran on are looked up when a run's absolute
   * `file://` artifact location does not exist here (default: the `mlruns/` folder, the SQLite
   * database's folder, or the current folder for a database on PostgreSQL).
   */
  artifactRoot?: string;
}

/** What {@link importMlflow} did. */
export interface MlflowImportReport {
  source: string;
  experiments: number;
  /** Runs written for the first time. */
  runs: number;
  /** Runs imported before that changed in MLflow since (a run that was running and has ended...): written again. */
  replaced: number;
  /** Runs imported before and unchanged: left as they are. */
  unchanged: number;
  /** Runs and experiments MLflow has deleted (lifecycle `deleted`): left out. */
  deleted: number;
  params: number;
  /** Metric names over the runs written, and every logged value (each a series point with its step and time). */
  metrics: number;
  seriesPoints: number;
  tags: number;
  artifacts: number;
  /** Runs that could not be read or written, by MLflow run id; nothing of them is kept. */
  errors: { runId: string; experiment: string; message: string }[];
}

/**
 * Opens an MLflow source: a file store folder (`mlruns/`), or a tracking database
 * (`sqlite:///path/mlflow.db` or a path to a `.db` file; `postgresql://user@host:port/db`,
 * `postgres://...` or SQLAlchemy's `postgresql+psycopg2://...`).
 *
 * @example
 * const source = await openMlflowSource("postgresql://mlflow@db.lab/mlflow", { artifactRoot: "/data/mlartifacts" });
 */
export async function openMlflowSource(
  source: string,
  options: { artifactRoot?: string } = {},
): Promise<MlflowSource> {
  if (isPostgresUri(source)) return mlflowPostgres(source, options);
  if (source.startsWith("sqlite:") || /\.(db|sqlite3?)$/i.test(source)) return mlflowSqlite(source, options);
  return mlflowFileStore(source, options);
}

/** The tags a run is stored with: MLflow's own, its id, and its user and source from its record. */
function runTags(run: MlflowRun): Record<string, string> {
  const tags: Record<string, string> = { ...run.tags, "mlflow.runId": run.runId };
  const add = (k: string, v: string | null) => {
    if (v !== null && !(k in tags)) tags[k] = v;
  };
  add("mlflow.user", run.userId);
  add("mlflow.source.type", run.sourceType);
  add("mlflow.source.name", run.sourceName);
  add("mlflow.source.git.commit", run.sourceVersion);
  add("mlflow.project.entryPoint", run.entryPointName);
  return tags;
}

/** Every logged value, per metric in (step, time) order: the last is MLflow's latest value. */
function metricEntries(run: MlflowRun): MetricEntry[] {
  return [...run.metrics]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.step - b.step || a.timestamp - b.timestamp))
    .map((m) => ({ name: m.key, value: m.value, step: m.step, timestamp: m.timestamp }));
}

function artifactFiles(folder: string): string[] {
  const entries = readdirSync(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(folder, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
}

function sameMetrics(a: Record<string, number>, entries: readonly MetricEntry[]): boolean {
  const last = new Map<string, number>();
  for (const e of entries) last.set(e.name, e.value);
  return Object.keys(a).length === last.size && [...last].every(([k, v]) => Object.is(a[k], v));
}

/** Whether a stored run is what importing `run` would write again. */
function unchanged(
  rec: RunRecord,
  status: RunStatus,
  run: MlflowRun,
  params: Record<string, unknown>,
  entries: MetricEntry[],
): boolean {
  const ended = status !== "running";
  const finishedAt = ended ? new Date(run.endTime ?? run.startTime ?? 0).toISOString() : null;
  // A run MLflow shows running has no writer here: labbook marks it crashed once its heartbeat is old.
  const stored = rec.status === "crashed" ? "running" : rec.status;
  return (
    stored === status &&
    (!ended || rec.finishedAt === finishedAt) &&
    canonicalJson(rec.params) === canonicalJson(params) &&
    canonicalJson(rec.tags) === canonicalJson(runTags(run)) &&
    sameMetrics(rec.metrics, entries)
  );
}

/**
 * Imports MLflow experiments and runs into `store`: each experiment (its name made a labbook
 * name, its tags kept, MLflow's id and artifact location in its metadata) as `<name>:<version>`;
 * each run under its MLflow run id, with its name, status (`FINISHED` success, `FAILED` failed,
 * `KILLED` cancelled, `RUNNING` running), start and end times, params typed back (see
 * `typedParam`; the original strings by {@link mlflowParams}), every metric value as a
 * series point with its step and time (the latest as the run's metric), tags (plus
 * `mlflow.runId`, `mlflow.user` and the source), and the files of its artifact folder when it
 * is on this machine (`model/weights.json` as `model__weights.json`; the mapping in the run's
 * data `mlflow.artifacts`). Idempotent: a run imported before and unchanged is left alone; one
 * that changed in MLflow is written again. A run that cannot be read or written is reported by
 * id, nothing of it kept, and the rest imported.
 *
 * @example
 * const report = await importMlflow(store, "./mlruns");
 * console.log(report.runs, report.errors);
 */
export async function importMlflow(
  store: Store,
  source: string | MlflowSource,
  options: MlflowImportOptions = {},
): Promise<MlflowImportReport> {
  const src =
    typeof source === "string"
      ? await openMlflowSource(
          source,
          options.artifactRoot === undefined ? {} : { artifactRoot: options.artifactRoot },
        )
      : source;
  const report: MlflowImportReport = {
    source: src.description,
    experiments: 0,
    runs: 0,
    replaced: 0,
    unchanged: 0,
    deleted: 0,
    params: 0,
    metrics: 0,
    seriesPoints: 0,
    tags: 0,
    artifacts: 0,
    errors: [],
  };
  try {
    const experiments = (await src.experiments()).filter((e) => {
      if (e.lifecycleStage === "deleted") report.deleted++;
      return e.lifecycleStage !== "deleted";
    });
    let total = 0;
    for (const e of experiments) total += await src.countRuns(e.id);
    const bar = countProgress("import mlflow", total, Boolean(options.progress));
    const names = new Map<string, string>();
    try {
      for (const exp of experiments) {
        let name = experimentName(exp.name);
        if ([...names.values()].includes(name)) name = experimentName(`${name}-${exp.id}`);
        names.set(exp.id, name);
        const version = options.version ?? "0.1.0";
        let created = false;
        let batch: MlflowRun[] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          if (!created) {
            await ensureExperiment(store, exp, name, version);
            created = true;
          }
          const stored = await storedRuns(
            store,
            batch.map((r) => labbookRunId(r.runId)),
          );
          const plans: RunPlan[] = [];
          for (const run of batch) {
            const plan = await planRun(
              store,
              src,
              run,
              `${name}:${version}`,
              stored.get(labbookRunId(run.runId)) ?? null,
              options,
              report,
            );
            if (plan) plans.push(plan);
          }
          await writePlans(store, plans, report);
          batch = [];
        };
        for await (const run of src.runs(exp)) {
          bar.tick();
          if ("error" in run) {
            report.errors.push({ runId: run.runId, experiment: exp.name, message: run.error });
            continue;
          }
          if (run.lifecycleStage === "deleted") {
            report.deleted++;
            continue;
          }
          batch.push(run);
          if (batch.length >= BATCH) await flush();
        }
        await flush();
        if (!created) await ensureExperiment(store, exp, name, version);
        report.experiments++;
      }
    } finally {
      bar.done();
    }
  } finally {
    if (typeof source === "string") await src.close();
  }
  return report;
}

/** Runs are looked up in the store this many at a time (one search instead of a query per run). */
const BATCH = 500;

/** The stored runs among these ids (params and metrics included), by id. */
async function storedRuns(store: Store, runIds: readonly string[]): Promise<Map<string, RunRecord>> {
  const out = new Map<string, RunRecord>();
  const filter = { run_id: { $in: [...runIds] } };
  for await (const r of store.iterateRuns({ filter, fields: ["params", "metrics"] }))
    out.set(r.runId, r as RunRecord);
  return out;
}

async function ensureExperiment(
  store: Store,
  exp: MlflowExperiment,
  name: string,
  version: string,
): Promise<void> {
  await store.ensureExperiment({
    name,
    version,
    tags: exp.tags,
    metadata: {
      mlflow: {
        experimentId: exp.id,
        name: exp.name,
        artifactLocation: exp.artifactLocation,
        creationTime: exp.creationTime,
      },
    },
  });
}

/** The MLflow facts a run keeps as its data `mlflow`, when its params or artifact names cannot be spelled back. */
function mlflowData(run: MlflowRun, params: Record<string, unknown>, mapping: Record<string, string>) {
  const spelled = Object.entries(run.params).every(([k, text]) => spelledParam(params[k]) === text);
  const named = Object.entries(mapping).every(([name, path]) => name === path);
  if (spelled && named) return null;
  return {
    runId: run.runId,
    experimentId: run.experimentId,
    params: run.params,
    artifacts: mapping,
    artifactUri: run.artifactUri,
  };
}

/** What importing `run` writes, or null when it is unchanged or cannot be read (reported). */
async function planRun(
  store: Store,
  src: MlflowSource,
  run: MlflowRun,
  experiment: string,
  stored: RunRecord | null,
  options: MlflowImportOptions,
  report: MlflowImportReport,
): Promise<RunPlan | null> {
  const runId = labbookRunId(run.runId);
  try {
    const status = STATUS[run.status];
    if (!status) throw new Error(`unknown status ${JSON.stringify(run.status)}`);
    const params = Object.fromEntries(Object.entries(run.params).map(([k, v]) => [k, typedParam(v)]));
    const entries = metricEntries(run);
    const folder = options.artifacts === false ? null : await src.artifactFolder(run);
    const files = folder ? artifactFiles(folder) : [];
    const mapping: Record<string, string> = {};
    for (const path of files) {
      let name = artifactName(path);
      for (let i = 2; name in mapping; i++) name = `${artifactName(path)}_${i}`;
      mapping[name] = path;
    }
    const data = mlflowData(run, params, mapping);
    const start = { experiment, runId, name: run.name ?? undefined, params, tags: runTags(run) };
    const startedAt = run.startTime ?? undefined;
    if (stored) {
      const same =
        unchanged(stored, status, run, params, entries) &&
        (data === null || (await store.listData(runId)).some((d) => d.name === "mlflow")) &&
        (files.length === 0 || (await store.listArtifacts(runId)).length === files.length);
      if (same) {
        report.unchanged++;
        return null;
      }
    }
    // `replace` also for a new run: the batch search found no run of that id, so the existence
    // check of prepareRun is skipped (the insert replaces one written since, as a re-import would).
    const create: RunCreate = await store.prepareRun({ ...start, startedAt, ifExists: "replace" });
    const final = status === "success" || status === "failed" || status === "cancelled";
    const finishedAt = run.endTime ?? run.startTime ?? undefined;
    const end = final
      ? { status, error: null, ...(finishedAt === undefined ? {} : { finishedAt }) }
      : undefined;
    return {
      run,
      runId,
      experiment,
      create,
      entries,
      end,
      data,
      folder,
      mapping,
      replacing: stored !== null,
    };
  } catch (e) {
    report.errors.push({ runId: run.runId, experiment, message: e instanceof Error ? e.message : String(e) });
    return null;
  }
}

/**
 * The params of an imported MLflow run as MLflow stored them (strings): the run's data `mlflow`
 * when the import kept it (a param whose text is not the plain spelling of its value, such as
 * `"0.0"` or `"1e-3"`), else each typed param spelled back (`0.01` as `"0.01"`, `true` as `"True"`).
 *
 * @example
 * await mlflowParams(store, runId); // { lr: "0.01", use_bn: "True", temperature: "0.0" }
 */
export async function mlflowParams(store: Store, runId: string): Promise<Record<string, string>> {
  if ((await store.listData(runId)).some((d) => d.name === "mlflow")) {
    const data = (await store.getData(runId, "mlflow")) as { params?: Record<string, string> };
    if (data?.params) return data.params;
  }
  const run = await store.getRun(runId);
  return Object.fromEntries(Object.entries(run.params).map(([k, v]) => [k, spelledParam(v)]));
}
