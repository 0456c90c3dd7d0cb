import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";
import type { DdlFlavor } from "./migrations.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/** Migration 1: experiments, runs, params, metrics, series, tags, rows, artifacts, data, derived values. */
export async function migrateInitial(dbTyped: Kysely<Database>, f: DdlFlavor): Promise<void> {
  const db = dbTyped as AnyDb;
  await db.schema
    .createTable("experiments")
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("metadata", "text", (c) => c.notNull())
    .addColumn("tags", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("experiments_pk", ["workspace", "name", "version"])
    .execute();
  await db.schema
    .createTable("runs")
    // SQLite: the rowid itself, without AUTOINCREMENT, whose counter row would be one more page
    // written by every run's commit; a replaced run's new row gets a key of its own (insertRun).
    .addColumn("id", f.serialPk, (c) => c.primaryKey())
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("run_id", "text", (c) => c.notNull())
    .addColumn("experiment_name", "text", (c) => c.notNull())
    .addColumn("experiment_version", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("params", "text", (c) => c.notNull())
    .addColumn("seed", "text", (c) => c.notNull())
    .addColumn("tags", "text", (c) => c.notNull())
    .addColumn("error", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("started_at", "bigint")
    .addColumn("finished_at", "bigint")
    .addColumn("duration_ms", f.float)
    .addColumn("params_fp", "text", (c) => c.notNull())
    .addColumn("seed_fp", "text", (c) => c.notNull())
    .addColumn("context_fp", "text", (c) => c.notNull())
    .addColumn("execution_id", "text")
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
      .addColumn(key, "text", (c) => c.notNull());
  // Keyed leaf tables are clustered on their key in SQLite: one b-tree instead of two.
  const clustered = f.withoutRowid ? sql`without rowid` : sql``;
  await leaf("run_params", "path")
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("num", f.float)
    .addColumn("text", "text")
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
    .addColumn("value", "text", (c) => c.notNull())
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
    .addColumn("datapoint_id", "text", (c) => c.notNull())
    .addColumn("trial", "integer", (c) => c.notNull())
    .addColumn("item", "text", (c) => c.notNull())
    .addColumn("output", "text", (c) => c.notNull())
    .addColumn("scores", "text", (c) => c.notNull())
    .addColumn("requests", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("run_rows_key")
    .unique()
    .on("run_rows")
    .columns(["run_pk", "datapoint_id", "trial"])
    .execute();
  await leaf("row_scores", "name")
    .addColumn("row_pk", "bigint", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("num", f.float)
    .addColumn("nan", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("text", "text")
    .execute();
  await db.schema.createIndex("row_scores_run_name").on("row_scores").columns(["run_pk", "name"]).execute();
  await db.schema.createIndex("row_scores_row").on("row_scores").columns(["row_pk"]).execute();
  await leaf("artifacts", "name")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("media_type", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("digest", "text", (c) => c.notNull())
    .addColumn("location", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("artifacts_pk", ["run_pk", "name"])
    .modifyEnd(clustered)
    .execute();
  await leaf("run_data", "name")
    .addColumn("dtype", "text", (c) => c.notNull())
    .addColumn("shape", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("run_data_pk", ["run_pk", "name"])
    .modifyEnd(clustered)
    .execute();
  await leaf("run_derived", "name")
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("num", f.float)
    .addColumn("text", "text")
    .addColumn("value", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("run_derived_pk", ["run_pk", "name"])
    .modifyEnd(clustered)
    .execute();
}
