import { type Kysely, sql } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 3 (runner): executions of experiments, their `objects.jsonl` lines and the
 * objects saved with them. Keyed by workspace, experiment name and execution id.
 */
export async function migrateExecutions(dbTyped: Kysely<Database>, { ddl: f }: SqlDialect): Promise<void> {
  const db = dbTyped as AnyDb;
  const clustered = f.withoutRowid ? sql`without rowid` : sql``;
  const keyed = (table: string) =>
    db.schema
      .createTable(table)
      .addColumn("workspace", f.text, (c) => c.notNull())
      .addColumn("experiment_name", f.text, (c) => c.notNull())
      .addColumn("execution_id", f.text, (c) => c.notNull());
  await keyed("executions")
    .addColumn("experiment_version", f.text, (c) => c.notNull())
    .addColumn("uid", f.text, (c) => c.notNull())
    .addColumn("status", f.text, (c) => c.notNull())
    .addColumn("started_at", "bigint", (c) => c.notNull())
    .addColumn("finished_at", "bigint")
    .addColumn("manifest", f.text)
    .addPrimaryKeyConstraint("executions_pk", ["workspace", "experiment_name", "execution_id"])
    .modifyEnd(clustered)
    .execute();
  await db.schema
    .createIndex("executions_started")
    .on("executions")
    .columns(["workspace", "experiment_name", "started_at"])
    .execute();
  // Lines can be long (big configs): a rowid table.
  await keyed("execution_objects")
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("line", f.text, (c) => c.notNull())
    .addPrimaryKeyConstraint("execution_objects_pk", ["workspace", "experiment_name", "execution_id", "seq"])
    .execute();
  await keyed("execution_saved")
    .addColumn("name", f.text, (c) => c.notNull())
    .addColumn("value", f.text, (c) => c.notNull())
    .addColumn("saved_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("execution_saved_pk", ["workspace", "experiment_name", "execution_id", "name"])
    .execute();
}
