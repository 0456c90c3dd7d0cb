import { type Kysely, sql } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/** Migration 1: experiments, runs, params, metrics, series, tags, rows, artifacts, data, derived values. */
export async function migrateInitial(dbTyped: Kysely<Database>, { ddl: f }: SqlDialect): Promise<void> {
  const db = dbTyped as AnyDb;
  await db.schema
    .createTable("experiments")
    .addColumn("workspace", f.text, (c) => c.notNull())
    .addColumn("name", f.text, (c) => c.notNull())
    .addColumn("version", f.text, (c) => c.notNull())
    .addColumn("description", f.text)
    .addColumn("metadata", f.text, (c) => c.notNull())
    .addColumn("tags", f.text, (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("experiments_pk", ["workspace", "name", "version"])
    .execute();
  await db.schema
    .createTable("runs")
    // SQLite: the rowid itself, without AUTOINCREMENT, whose counter row would be one more page
    // written by every run's commit; a replaced run's new row gets a key of its own (insertRun).
    .addColumn("id", f.serialPk, (c) => c.primaryKey())
    .addColumn("workspace", f.text, (c) => c.notNull())
    .addColumn("run_id", f.text, (c) => c.notNull())
    .addColumn("experiment_name", f.text, (c) => c.notNull())
    .addColumn("experiment_version", f.text, (c) => c.notNull())
    .addColumn("name", f.text)
    .addColumn("status", f.text, (c) => c.notNull())
    .addColumn("params", f.text, (c) => c.notNull())
    .addColumn("seed", f.text, (c) => c.notNull())
    .addColumn("tags", f.text, (c) => c.notNull())
    .addColumn("error", f.text)
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("started_at", "bigint")
    .addColumn("finished_at", "bigint")
    .addColumn("duration_ms", f.float)
    .addColumn("params_fp", f.text, (c) => c.notNull())
    .addColumn("seed_fp", f.text, (c) => c.notNull())
    .addColumn("context_fp", f.text, (c) => c.notNull())
    .addColumn("execution_id", f.text)
    .execute();
  await db.schema.createIndex("runs_ws_id").unique().on("runs").columns(["workspace", "run_id"]).execute();
  await db.schema
    .createIndex("runs_ws_exp")
    .on("runs")
    .columns(["workspace", "experiment_name", "experiment_version", "created_at"])
    .execute();

  const leaf = (name: string, key: string) =>
    db.schema
      .createTable(name)
      .addColumn("run_pk", "bigint", (c) => c.notNull())
      .addColumn(key, f.text, (c) => c.notNull());
  // Keyed leaf tables are clustered on their key in SQLite: one b-tree instead of two.
  const clustered = f.withoutRowid ? sql`without rowid` : sql``;
  await leaf("run_params", "path")
    .addColumn("type", f.text, (c) => c.notNull())
    .addColumn("num", f.float)
    .addColumn("text", f.text)
    .addPrimaryKeyConstraint("run_params_pk", ["run_pk", "path"])
    .modifyEnd(clustered)
    .execute();
  // No value index on params: every index page a run touches costs its commit ~8 us (the
  // ingest target); searches reach params through the metric index or the clustered key.
  await leaf("run_metrics", "name")
    .addColumn("value", f.float)
    .addColumn("nan", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("step", "bigint")
    .addColumn("ts", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("run_metrics_pk", ["run_pk", "name"])
    .modifyEnd(clustered)
    .execute();
  await db.schema
    .createIndex("run_metrics_name_value")
    .on("run_metrics")
    .columns(["name", "value"])
    .execute();
  await leaf("metric_series", "name")
    .addColumn("step", "bigint", (c) => c.notNull())
    .addColumn("value", f.float)
    .addColumn("nan", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("ts", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("metric_series_run")
    .on("metric_series")
    .columns(["run_pk", "name", "step"])
    .execute();
  await leaf("run_tags", "key")
    .addColumn("value", f.text, (c) => c.notNull())
    .addPrimaryKeyConstraint("run_tags_pk", ["run_pk", "key"])
    .modifyEnd(clustered)
    .execute();
  await db.schema.createIndex("run_tags_key_value").on("run_tags").columns(["key", "value"]).execute();
  await db.schema
    .createTable("run_rows")
    .addColumn("id", f.serialPk, (c) =>
      f.serialPk === "integer" ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn("run_pk", "bigint", (c) => c.notNull())
    .addColumn("datapoint_id", f.text, (c) => c.notNull())
    .addColumn("trial", "integer", (c) => c.notNull())
    .addColumn("item", f.text, (c) => c.notNull())
    .addColumn("output", f.text, (c) => c.notNull())
    .addColumn("scores", f.text, (c) => c.notNull())
    .addColumn("requests", f.text, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("run_rows_key")
    .unique()
    .on("run_rows")
    .columns(["run_pk", "datapoint_id", "trial"])
    .execute();
  await leaf("row_scores", "name")
    .addColumn("row_pk", "bigint", (c) => c.notNull())
    .addColumn("type", f.text, (c) => c.notNull())
    .addColumn("num", f.float)
    .addColumn("nan", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("text", f.text)
    .execute();
  await db.schema.createIndex("row_scores_run_name").on("row_scores").columns(["run_pk", "name"]).execute();
  await db.schema.createIndex("row_scores_row").on("row_scores").columns(["row_pk"]).execute();
  await leaf("artifacts", "name")
    .addColumn("kind", f.text, (c) => c.notNull())
    .addColumn("media_type", f.text, (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("digest", f.text, (c) => c.notNull())
    .addColumn("location", f.text, (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("artifacts_pk", ["run_pk", "name"])
    .modifyEnd(clustered)
    .execute();
  await leaf("run_data", "name")
    .addColumn("dtype", f.text, (c) => c.notNull())
    .addColumn("shape", f.text, (c) => c.notNull())
    .addColumn("value", f.text, (c) => c.notNull())
    .addPrimaryKeyConstraint("run_data_pk", ["run_pk", "name"])
    .modifyEnd(clustered)
    .execute();
  await leaf("run_derived", "name")
    .addColumn("type", f.text, (c) => c.notNull())
    .addColumn("num", f.float)
    .addColumn("text", f.text)
    .addColumn("value", f.text, (c) => c.notNull())
    .addPrimaryKeyConstraint("run_derived_pk", ["run_pk", "name"])
    .modifyEnd(clustered)
    .execute();
}
