import { type Kysely, sql } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 6 (deferred metric-value index): a summary metric is written with `pending = 1`,
 * outside the value index, so a run's commit touches one appended index page instead of one
 * random page per metric; the run index sync (`syncRunIndex`, run-index.ts) moves pending rows
 * into the index (`pending = 0`) before a search orders or ranges on metric values. Rows written by older code
 * (or any path that does not set it) default to `pending = 0`: indexed at once.
 *
 * @example
 * { version: 6, description: "deferred metric-value index", up: migrateMetricIndex } // in MIGRATIONS
 */
export async function migrateMetricIndex(dbTyped: Kysely<Database>, _d: SqlDialect): Promise<void> {
  const db = dbTyped as AnyDb;
  await db.schema
    .alterTable("run_metrics")
    .addColumn("pending", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.dropIndex("run_metrics_name_value").ifExists().execute();
  await db.schema
    .createIndex("run_metrics_value")
    .on("run_metrics")
    .columns(["name", "value"])
    .where(sql.ref("pending"), "=", sql.lit(0))
    .execute();
  await db.schema
    .createIndex("run_metrics_pending")
    .on("run_metrics")
    .column("run_pk")
    .where(sql.ref("pending"), "=", sql.lit(1))
    .execute();
}
