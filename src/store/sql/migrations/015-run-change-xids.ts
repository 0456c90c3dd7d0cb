import { type Kysely, sql } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 15 (run change log by transaction, PostgreSQL): `run_changes` records the key of
 * every run a transaction creates, changes or deletes, with the transaction's id (`xid8`), so
 * that a process's cached counts and orders of matches follow the commits of every other
 * process and replica run by run: the runs changed between two snapshots are those whose
 * transaction the first snapshot does not see (see `postgresRunChanges`). `run_changes_floor`
 * holds the highest transaction id of the records trimmed away: a snapshot that does not see it
 * can no longer be followed. SQLite keeps its own log (migration 11).
 *
 * @example
 * { version: 15, description: "run change log by transaction", up: migrateRunChangeXids } // in MIGRATIONS
 */
export async function migrateRunChangeXids(dbTyped: Kysely<Database>, d: SqlDialect): Promise<void> {
  if (!d.ddl.runChangeXids) return;
  const db = dbTyped as AnyDb;
  await db.schema
    .createTable("run_changes")
    .addColumn("seq", "bigserial", (c) => c.primaryKey())
    .addColumn("run_pk", "bigint", (c) => c.notNull())
    .addColumn("xid", sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
    .execute();
  await db.schema.createIndex("run_changes_xid").on("run_changes").columns(["xid", "run_pk"]).execute();
  await db.schema
    .createTable("run_changes_floor")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("xid", sql`xid8`, (c) => c.notNull())
    .execute();
  await sql`insert into run_changes_floor (id, xid) values (1, '0'::xid8)`.execute(db);
}
