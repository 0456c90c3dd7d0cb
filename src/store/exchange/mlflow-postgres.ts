import pg from "pg";
import Cursor from "pg-cursor";
import { LabbookError } from "../../core/errors.js";
import { dbExperiment, dbRun } from "./mlflow-db-rows.js";
import { localArtifactFolder } from "./mlflow-paths.js";
import type { MlflowBadRun, MlflowExperiment, MlflowRun, MlflowSource } from "./mlflow-source.js";

/** Options of {@link mlflowPostgres}. */
export interface MlflowPostgresOptions {
  /**
   * Where artifacts copied from the tracking server's machine are looked up when a run's
   * `file://` artifact URI does not exist here (default: the current folder).
   */
  artifactRoot?: string;
}

/** Runs read per page (their params, tags and metrics in one query each). */
const PAGE = 200;

/** MLflow's times and steps are BIGINT: read as numbers (milliseconds fit in 2^53). */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (text: string) => Number(text));

type Row = Record<string, unknown>;

/**
 * The `pg` connection string of an MLflow database URI: `postgresql://`, `postgres://`, or
 * SQLAlchemy's `postgresql+<driver>://` as MLflow's `--backend-store-uri` takes it.
 *
 * @example
 * pgConnectionString("postgresql+psycopg2://u:p@db:5432/mlflow"); // "postgresql://u:p@db:5432/mlflow"
 */
export function pgConnectionString(uri: string): string {
  return uri.replace(/^postgres(?:ql)?(?:\+[a-z0-9_]+)?:\/\//i, "postgresql://");
}

/** Whether a source names a PostgreSQL database. */
export function isPostgresUri(uri: string): boolean {
  return /^postgres(?:ql)?(?:\+[a-z0-9_]+)?:\/\//i.test(uri);
}

function redacted(uri: string): string {
  return uri.replace(/\/\/([^/@:]*):[^/@]*@/, "//$1:***@");
}

function unavailable(uri: string, e: unknown): LabbookError {
  const message = e instanceof Error ? e.message : String(e);
  return new LabbookError(
    "UNAVAILABLE",
    `source: the MLflow database ${redacted(uri)} cannot be read: ${message}`,
    {
      field: "source",
    },
  );
}

/**
 * An MLflow tracking database on PostgreSQL (the schema of MLflow 2.x: `experiments`,
 * `experiment_tags`, `runs`, `params`, `tags`, `metrics`), read with plain selects (nothing is
 * written): runs through a server-side cursor, 200 at a time, with their params, tags and
 * metrics fetched per page. `is_nan` and the largest double (MLflow's infinity) read back as
 * NaN and +-Infinity. Artifacts are found from each run's `artifact_uri`, resolved against
 * `artifactRoot` when the absolute path does not exist here.
 *
 * @example
 * const source = await mlflowPostgres("postgresql://mlflow@db.lab:5432/mlflow");
 */
export async function mlflowPostgres(
  uri: string,
  options: MlflowPostgresOptions = {},
): Promise<MlflowSource> {
  // Two connections: one holds the cursor over runs, the other reads each page's details.
  const pool = new pg.Pool({ connectionString: pgConnectionString(uri), max: 2, types });
  pool.on("error", () => undefined);
  const query = async (sql: string, params: unknown[] = []): Promise<Row[]> => {
    try {
      return (await pool.query(sql, params)).rows as Row[];
    } catch (e) {
      throw unavailable(uri, e);
    }
  };
  try {
    const [found] = await query(
      "select to_regclass('experiments') is not null and to_regclass('runs') is not null and to_regclass('metrics') is not null as ok",
    );
    if (!found?.ok) {
      throw new LabbookError(
        "INVALID_ARGUMENT",
        `source: ${redacted(uri)} holds no MLflow tracking tables (experiments, runs, metrics)`,
        { field: "source" },
      );
    }
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  const base = options.artifactRoot ?? process.cwd();
  const group = (rows: Row[], key = "run_uuid") => {
    const by = new Map<string, Row[]>();
    for (const r of rows) {
      const id = String(r[key]);
      const list = by.get(id) ?? [];
      list.push(r);
      by.set(id, list);
    }
    return by;
  };

  async function* page(experiment: MlflowExperiment, runs: Row[]): AsyncGenerator<MlflowRun | MlflowBadRun> {
    const ids = runs.map((r) => String(r.run_uuid));
    const params = group(
      await query("select run_uuid, key, value from params where run_uuid = any($1)", [ids]),
    );
    const tags = group(await query("select run_uuid, key, value from tags where run_uuid = any($1)", [ids]));
    const metrics = group(
      await query(
        "select run_uuid, key, value, timestamp, step, is_nan from metrics where run_uuid = any($1)",
        [ids],
      ),
    );
    for (const r of runs) {
      const runId = String(r.run_uuid);
      try {
        yield dbRun(
          experiment.id,
          r,
          params.get(runId) ?? [],
          tags.get(runId) ?? [],
          metrics.get(runId) ?? [],
        );
      } catch (e) {
        yield { runId, experimentId: experiment.id, error: e instanceof Error ? e.message : String(e) };
      }
    }
  }

  return {
    description: redacted(uri),
    async experiments() {
      const tags = group(
        await query("select experiment_id, key, value from experiment_tags"),
        "experiment_id",
      );
      return (
        await query(
          "select experiment_id, name, artifact_location, lifecycle_stage, creation_time from experiments order by experiment_id",
        )
      ).map((e) => dbExperiment(e, tags.get(String(e.experiment_id)) ?? []));
    },
    async countRuns(experimentId) {
      const [row] = await query("select count(*) as n from runs where experiment_id = $1", [
        Number(experimentId),
      ]);
      return Number(row?.n ?? 0);
    },
    async *runs(experiment) {
      const client = await pool.connect().catch((e: unknown) => {
        throw unavailable(uri, e);
      });
      const cursor = client.query(
        new Cursor(
          'select * from runs where experiment_id = $1 order by start_time nulls first, run_uuid collate "C"',
          [Number(experiment.id)],
        ),
      );
      try {
        for (;;) {
          const rows = (await cursor.read(PAGE).catch((e: unknown) => {
            throw unavailable(uri, e);
          })) as Row[];
          if (rows.length === 0) break;
          yield* page(experiment, rows);
        }
      } finally {
        await cursor.close().catch(() => undefined);
        client.release();
      }
    },
    artifactFolder: (run) => localArtifactFolder(run.artifactUri, base),
    async close() {
      await pool.end();
    },
  };
}
