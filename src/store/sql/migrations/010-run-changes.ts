import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { DdlFlavor } from "./migrations.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 10 (run change log, where the dialect keeps one: SQLite): `run_changes` records the
 * key of every run changed after its creation, by any connection, so that a process's cached
 * counts and orders of matches follow the writes of other processes run by run (see
 * `sqliteRunChanges`). Appended in key order, trimmed to the most recent records.
 *
 * @example
 * { version: 10, description: "run change log", up: migrateRunChanges } // in MIGRATIONS
 */
export async function migrateRunChanges(dbTyped: Kysely<Database>, f: DdlFlavor): Promise<void> {
  if (!f.runChangeLog) return;
  const db = dbTyped as AnyDb;
  await db.schema
    .createTable("run_changes")
    .addColumn("seq", "integer", (c) => c.primaryKey())
    .addColumn("run_pk", "bigint", (c) => c.notNull())
    .execute();
}
