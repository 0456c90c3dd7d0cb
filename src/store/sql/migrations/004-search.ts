import type { Kysely } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 4 (query and search): runs in creation order within a workspace, with `run_id` as
 * the tie-break, so the default listing (`-created_at`) and its keyset pages read an index
 * range instead of sorting every run.
 *
 * @example
 * { version: 4, description: "query and search", up: migrateSearch } // in MIGRATIONS
 */
export async function migrateSearch(dbTyped: Kysely<Database>, _d: SqlDialect): Promise<void> {
  const db = dbTyped as AnyDb;
  await db.schema
    .createIndex("runs_ws_created")
    .on("runs")
    .columns(["workspace", "created_at", "run_id"])
    .execute();
}
