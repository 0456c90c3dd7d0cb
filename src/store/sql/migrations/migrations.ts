import type { Kysely } from "kysely";
import { LabbookError } from "../../../core/errors.js";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";
import { migrateInitial } from "./001-initial.js";
import { migrateScores } from "./002-scores.js";
import { migrateExecutions } from "./003-executions.js";
import { migrateSearch } from "./004-search.js";
import { migrateKeys } from "./005-keys.js";
import { migrateMetricIndex } from "./006-metric-index.js";
import { migrateRunIndex } from "./007-run-index.js";
import { migrateMetricWatermark } from "./008-metric-watermark.js";
import { migrateHeartbeats } from "./009-heartbeats.js";
import { migrateTeam } from "./010-team.js";
import { migrateRunChanges } from "./011-run-changes.js";
import { migrateSeriesPoints } from "./012-series-points.js";
import { migrateFieldSummaries } from "./013-field-summaries.js";
import { migrateSummarySlots } from "./014-summary-slots.js";
import { migrateRunChangeXids } from "./015-run-change-xids.js";

export type { DdlFlavor } from "../dialects/types.js";

export interface Migration {
  version: number;
  description: string;
  up(db: Kysely<Database>, dialect: SqlDialect): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Every schema version in order. Append a migration to change the schema; never
 * edit one that has shipped.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "experiments, runs, params, metrics, series, tags, rows, artifacts",
    up: migrateInitial,
  },
  { version: 2, description: "metric and composite definitions, columnar score chunks", up: migrateScores },
  { version: 3, description: "runner executions, objects.jsonl lines, saved objects", up: migrateExecutions },
  { version: 4, description: "query and search: runs by creation time", up: migrateSearch },
  { version: 5, description: "server API keys", up: migrateKeys },
  { version: 6, description: "deferred metric-value index", up: migrateMetricIndex },
  { version: 7, description: "deferred param leaves", up: migrateRunIndex },
  { version: 8, description: "pending metrics found by the run index", up: migrateMetricWatermark },
  { version: 9, description: "heartbeats of open runs and executions", up: migrateHeartbeats },
  { version: 10, description: "team backend: rows column name, param value index", up: migrateTeam },
  { version: 11, description: "run change log", up: migrateRunChanges },
  { version: 12, description: "series points in their index", up: migrateSeriesPoints },
  { version: 13, description: "field summaries of the field catalog", up: migrateFieldSummaries },
  { version: 14, description: "field summaries in slots", up: migrateSummarySlots },
  { version: 15, description: "run change log by transaction", up: migrateRunChangeXids },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The schema version recorded in a database (0 when it has none yet). */
async function recordedVersion(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("labbook_meta")
    .select("value")
    .where("key", "=", "schema_version")
    .executeTakeFirst();
  return row ? Number(row.value) : 0;
}

function newerSchema(current: number, where: string): LabbookError {
  return new LabbookError(
    "UNSUPPORTED_VERSION",
    `the store at ${where} has schema version ${current}, written by a newer labbook; this labbook knows versions up to ${SCHEMA_VERSION}. Upgrade labbook to open it.`,
    { details: { storeVersion: current, supportedVersion: SCHEMA_VERSION } },
  );
}

/**
 * Brings a database to {@link SCHEMA_VERSION} in one transaction, recording the version in
 * `labbook_meta`, under the dialect's migration lock: of several processes opening one new
 * database at once, one migrates and the others find it done. A database already at this
 * version is only read (no lock, no write). Refuses a database written by a newer labbook.
 *
 * @example
 * await migrate(db, sqliteDialect, "/data/lab"); // 9
 */
export async function migrate(db: Kysely<Database>, dialect: SqlDialect, where: string): Promise<number> {
  const seen = await recordedVersion(db).catch(() => 0); // no labbook_meta yet: a new database
  if (seen > SCHEMA_VERSION) throw newerSchema(seen, where);
  if (seen === SCHEMA_VERSION) return SCHEMA_VERSION;
  return db.transaction().execute(async (trx) => {
    await dialect.migrationLock(trx);
    await (trx as AnyDb).schema
      .createTable("labbook_meta")
      .ifNotExists()
      .addColumn("key", dialect.ddl.text, (c) => c.primaryKey())
      .addColumn("value", dialect.ddl.text, (c) => c.notNull())
      .execute();
    const current = await recordedVersion(trx);
    if (current > SCHEMA_VERSION) throw newerSchema(current, where);
    for (const m of MIGRATIONS) {
      if (m.version > current) await m.up(trx, dialect);
    }
    if (current < SCHEMA_VERSION) {
      await trx
        .insertInto("labbook_meta")
        .values({ key: "schema_version", value: String(SCHEMA_VERSION) })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: String(SCHEMA_VERSION) }))
        .execute();
    }
    return SCHEMA_VERSION;
  });
}
