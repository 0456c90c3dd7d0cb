import type { Kysely } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 12 (series read from their index alone): the index of a run's series points,
 * `(run_pk, name, step)`, becomes `(run_pk, name, step, ts, value, nan)`, so that a downsampling
 * (`downsampleSeries`) or a whole series (`getSeries`, in step and time order) reads one range of
 * the index and never the table's rows (a point's row is a random page read per point: about
 * half the time of a 100,000-step downsampling).
 *
 * @example
 * { version: 12, description: "series points in their index", up: migrateSeriesPoints } // in MIGRATIONS
 */
export async function migrateSeriesPoints(dbTyped: Kysely<Database>, _d: SqlDialect): Promise<void> {
  const db = dbTyped as AnyDb;
  await db.schema
    .createIndex("metric_series_points")
    .on("metric_series")
    .columns(["run_pk", "name", "step", "ts", "value", "nan"])
    .execute();
  await db.schema.dropIndex("metric_series_run").ifExists().execute();
}
