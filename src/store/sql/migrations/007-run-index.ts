import { type Kysely, sql } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 7 (deferred param leaves): a run's commit writes its params once, as the JSON of its
 * `runs` row; the searchable leaves (`run_params`, one row per dotted path) are written by
 * `syncRunIndex` before a read that needs them. `run_index.through` is the key up to which every
 * run has its leaves; a new run always takes a key above it (see `insertRun`), so the runs still
 * to index are one range of the runs' key. Every run of an older store has its leaves already.
 *
 * @example
 * { version: 7, description: "deferred param leaves", up: migrateRunIndex } // in MIGRATIONS
 */
export async function migrateRunIndex(dbTyped: Kysely<Database>, _d: SqlDialect): Promise<void> {
  const db = dbTyped as AnyDb;
  await db.schema
    .createTable("run_index")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("through", "bigint", (c) => c.notNull())
    .execute();
  await sql`insert into run_index (id, through) select 1, coalesce(max(id), 0) from runs`.execute(db);
}
