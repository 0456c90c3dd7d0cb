import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { invalid } from "../../core/errors.js";
import { localArtifactFolder } from "./mlflow-paths.js";
import type {
  MlflowBadRun,
  MlflowExperiment,
  MlflowMetric,
  MlflowRun,
  MlflowSource,
} from "./mlflow-source.js";

/** MLflow stores +-Infinity as the largest finite double in its databases. */
const DBL_MAX = 1.7976931348623157e308;

/** A metric value as MLflow's SQL store keeps it (`is_nan`; infinities as +-DBL_MAX). */
export function dbMetricValue(value: number | null, isNan: number | boolean | null): number {
  if (isNan) return Number.NaN;
  if (value === DBL_MAX) return Number.POSITIVE_INFINITY;
  if (value === -DBL_MAX) return Number.NEGATIVE_INFINITY;
  return value ?? Number.NaN;
}

/** The database file of `sqlite:///path` (MLflow's form: `sqlite:////abs` or `sqlite:///rel`), or a plain path. */
export function sqlitePath(uri: string): string {
  if (!uri.startsWith("sqlite:")) return resolve(uri);
  const rest = uri.replace(/^sqlite:\/\/\//, "");
  if (existsSync(rest)) return resolve(rest);
  if (existsSync(`/${rest}`)) return `/${rest}`;
  throw invalid("source", "must name an existing MLflow database file", uri);
}

type Row = Record<string, unknown>;

/**
 * An MLflow tracking database in SQLite (the schema of MLflow 2.x: `experiments`,
 * `experiment_tags`, `runs`, `params`, `tags`, `metrics`), opened read-only. Artifacts are found
 * from each run's `artifact_uri`, resolved against `artifactRoot` (default: the database's
 * folder) when the absolute path does not exist.
 *
 * @example
 * const source = mlflowSqlite("sqlite:///data/mlflow.db");
 */
export function mlflowSqlite(uri: string, options: { artifactRoot?: string } = {}): MlflowSource {
  const path = sqlitePath(uri);
  if (!existsSync(path)) throw invalid("source", "must name an existing MLflow database file", uri);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const base = options.artifactRoot === undefined ? dirname(path) : resolve(options.artifactRoot);
  const q = {
    experiments: db.prepare("select * from experiments order by experiment_id"),
    expTags: db.prepare("select key, value from experiment_tags where experiment_id = ?"),
    count: db.prepare("select count(*) as n from runs where experiment_id = ?"),
    runs: db.prepare("select * from runs where experiment_id = ? order by start_time, run_uuid"),
    params: db.prepare("select key, value from params where run_uuid = ?"),
    tags: db.prepare("select key, value from tags where run_uuid = ?"),
    metrics: db.prepare("select key, value, timestamp, step, is_nan from metrics where run_uuid = ?"),
  };
  const record = (rows: Row[]) => Object.fromEntries(rows.map((r) => [String(r.key), String(r.value ?? "")]));
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const s = (v: unknown) => (v === null || v === undefined || v === "" ? null : String(v));
  return {
    description: path,
    async experiments() {
      return (q.experiments.all() as Row[]).map(
        (e): MlflowExperiment => ({
          id: String(e.experiment_id),
          name: String(e.name),
          artifactLocation: s(e.artifact_location),
          lifecycleStage: String(e.lifecycle_stage ?? "active"),
          creationTime: n(e.creation_time),
          tags: record(q.expTags.all(e.experiment_id) as Row[]),
        }),
      );
    },
    async countRuns(experimentId) {
      return Number((q.count.get(Number(experimentId)) as { n: number }).n);
    },
    async *runs(experiment): AsyncGenerator<MlflowRun | MlflowBadRun> {
      for (const r of q.runs.all(Number(experiment.id)) as Row[]) {
        const runId = String(r.run_uuid);
        try {
          const metrics = (q.metrics.all(runId) as Row[]).map(
            (m): MlflowMetric => ({
              key: String(m.key),
              value: dbMetricValue(m.value as number | null, m.is_nan as number),
              timestamp: Number(m.timestamp),
              step: Number(m.step ?? 0),
            }),
          );
          yield {
            runId,
            experimentId: experiment.id,
            name: s(r.name),
            status: String(r.status),
            startTime: n(r.start_time),
            endTime: n(r.end_time),
            userId: s(r.user_id),
            sourceType: s(r.source_type),
            sourceName: s(r.source_name),
            sourceVersion: s(r.source_version),
            entryPointName: s(r.entry_point_name),
            artifactUri: s(r.artifact_uri),
            lifecycleStage: String(r.lifecycle_stage ?? "active"),
            params: record(q.params.all(runId) as Row[]),
            tags: record(q.tags.all(runId) as Row[]),
            metrics,
          };
        } catch (e) {
          yield { runId, experimentId: experiment.id, error: e instanceof Error ? e.message : String(e) };
        }
      }
    },
    artifactFolder: (run) => localArtifactFolder(run.artifactUri, base),
    async close() {
      db.close();
    },
  };
}
