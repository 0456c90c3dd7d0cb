import { type Kysely, sql } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 8 (pending metrics found by the run index): the summary metrics waiting for the
 * metric-value index are those of the runs above `run_index.through` (a new run's key is always
 * above it, and a metric logged later for a run at or below it is indexed at once), so the sync
 * finds them by the metrics' clustered key and the index of pending rows (one more page written
 * by every run's commit) goes. Pending rows of runs at or below the mark are indexed here.
 *
 * @example
 * { version: 8, description: "pending metrics found by the run index", up: migrateMetricWatermark } // in MIGRATIONS
 */
export async function migrateMetricWatermark(dbTyped: Kysely<Database>, _d: SqlDialect): Promise<void> {
  const db = dbTyped as AnyDb;
  await sql`update run_metrics set pending = 0 where pending = 1 and run_pk <= (select through from run_index where id = 1)`.execute(
    db,
  );
  await db.schema.dropIndex("run_metrics_pending").ifExists().execute();
}
