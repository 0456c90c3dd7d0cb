import { type Kysely, sql } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 2: metric and composite definitions per experiment version, and the columnar
 * copy of each run's scores (`score_chunks`). Runs written before it are marked stale, so
 * their chunks are built from `row_scores` the first time they are read.
 */
export async function migrateScores(dbTyped: Kysely<Database>, { ddl: f }: SqlDialect): Promise<void> {
  const db = dbTyped as AnyDb;
  const clustered = f.withoutRowid ? sql`without rowid` : sql``;
  const definitions = (table: string) =>
    db.schema
      .createTable(table)
      .addColumn("workspace", f.text, (c) => c.notNull())
      .addColumn("experiment_name", f.text, (c) => c.notNull())
      .addColumn("experiment_version", f.text, (c) => c.notNull())
      .addColumn("name", f.text, (c) => c.notNull());
  await definitions("metric_defs")
    .addColumn("kind", f.text, (c) => c.notNull())
    .addColumn("direction", f.text, (c) => c.notNull())
    .addColumn("threshold", f.text)
    .addColumn("categories", f.text)
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("metric_defs_pk", ["workspace", "experiment_name", "experiment_version", "name"])
    .modifyEnd(clustered)
    .execute();
  await definitions("composite_defs")
    .addColumn("expression", f.text, (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("composite_defs_pk", [
      "workspace",
      "experiment_name",
      "experiment_version",
      "name",
    ])
    .modifyEnd(clustered)
    .execute();
  // Large blobs: a rowid table (SQLite advises against WITHOUT ROWID for big records).
  await db.schema
    .createTable("score_chunks")
    .addColumn("run_pk", "bigint", (c) => c.notNull())
    .addColumn("name", f.text, (c) => c.notNull())
    .addColumn("chunk", "integer", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addColumn("tags", f.blob, (c) => c.notNull())
    .addColumn("nums", f.blob, (c) => c.notNull())
    .addColumn("codes", f.blob)
    .addColumn("dict", f.text)
    // Last: reading the value columns never walks the row ids' overflow pages.
    .addColumn("row_pks", f.blob, (c) => c.notNull())
    .addPrimaryKeyConstraint("score_chunks_pk", ["run_pk", "name", "chunk"])
    .execute();
  await db.schema
    .createTable("score_chunks_stale")
    .addColumn("run_pk", "bigint", (c) => c.primaryKey())
    .execute();
  await db
    .insertInto("score_chunks_stale")
    .columns(["run_pk"])
    .expression(db.selectFrom("run_rows").select("run_pk").distinct())
    .execute();
}
