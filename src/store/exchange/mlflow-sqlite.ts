import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { invalid } from "../../core/errors.js";
import { dbExperiment, dbRun, type MlflowDbRow as Row } from "./mlflow-db-rows.js";
import { localArtifactFolder } from "./mlflow-paths.js";
import type { MlflowBadRun, MlflowRun, MlflowSource } from "./mlflow-source.js";

/** The database file of `sqlite:///path` (MLflow's form: `sqlite:////abs` or `sqlite:///rel`), or a plain path. */
export function sqlitePath(uri: string): string {
  if (!uri.startsWith("sqlite:")) return resolve(uri);
  const rest = uri.replace(/^sqlite:\/\/\//, "");
  if (existsSync(rest)) return resolve(rest);
  if (existsSync(`/${rest}`)) return `/${rest}`;
  throw invalid("source", "must name an existing MLflow database file", uri);
}

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
  return {
    description: path,
    async experiments() {
      return (q.experiments.all() as Row[]).map((e) =>
        dbExperiment(e, q.expTags.all(e.experiment_id) as Row[]),
      );
    },
    async countRuns(experimentId) {
      return Number((q.count.get(Number(experimentId)) as { n: number }).n);
    },
    async *runs(experiment): AsyncGenerator<MlflowRun | MlflowBadRun> {
      for (const r of q.runs.all(Number(experiment.id)) as Row[]) {
        const runId = String(r.run_uuid);
        try {
          yield dbRun(
            experiment.id,
            r,
            q.params.all(runId) as Row[],
            q.tags.all(runId) as Row[],
            q.metrics.all(runId) as Row[],
          );
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
