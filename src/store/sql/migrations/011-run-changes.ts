import type { Kysely } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 11 (run change log, where the dialect keeps one: SQLite): `run_changes` records the
 * key of every run changed after its creation, by any connection, so that a process's cached
 * counts and orders of matches follow the writes of other processes run by run (see
 * `sqliteRunChanges`). Appended in key order, trimmed to the most recent records.
 *
 * @example
 * { version: 11, description: "run change log", up: migrateRunChanges } // in MIGRATIONS
 */
export async function migrateRunChanges(dbTyped: Kysely<Database>, d: SqlDialect): Promise<void> {
  if (!d.ddl.runChangeLog) return;
  const db = dbTyped as AnyDb;
  await db.schema
    .createTable("run_changes")
    .addColumn("seq", "integer", (c) => c.primaryKey())
    .addColumn("run_pk", "bigint", (c) => c.notNull())
    .execute();
}
