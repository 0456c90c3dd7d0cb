import { type Kysely, sql } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 9 (heartbeats): `runs.heartbeat_at` and `executions.heartbeat_at` hold the last sign
 * of life of an open run or execution (ms since the epoch); one whose heartbeat is older than the
 * store's timeout is marked `crashed` (runs/liveness.ts). The partial indexes hold only the open
 * ones, so the check that precedes a read is one short index probe. Runs and executions still
 * open when the store is upgraded get their start time as their last heartbeat.
 *
 * @example
 * { version: 9, description: "heartbeats of open runs and executions", up: migrateHeartbeats } // in MIGRATIONS
 */
export async function migrateHeartbeats(dbTyped: Kysely<Database>, _d: SqlDialect): Promise<void> {
  const db = dbTyped as AnyDb;
  await db.schema.alterTable("runs").addColumn("heartbeat_at", "bigint").execute();
  await sql`update runs set heartbeat_at = coalesce(started_at, created_at) where status = 'running'`.execute(
    db,
  );
  await db.schema
    .createIndex("runs_open")
    .on("runs")
    .column("heartbeat_at")
    .where(sql.ref("status"), "=", sql.lit("running"))
    .execute();
  await db.schema.alterTable("executions").addColumn("heartbeat_at", "bigint").execute();
  await sql`update executions set heartbeat_at = started_at where status = 'running'`.execute(db);
  await db.schema
    .createIndex("executions_open")
    .on("executions")
    .column("heartbeat_at")
    .where(sql.ref("status"), "=", sql.lit("running"))
    .execute();
}
