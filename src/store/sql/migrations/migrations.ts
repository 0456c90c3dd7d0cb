import type { Kysely } from "kysely";
import { LabbookError } from "../../../core/errors.js";
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
import { migrateSeriesPoints } from "./010-series-points.js";

/** What differs between dialects in DDL. */
export interface DdlFlavor {
  /** Column type of an auto-incremented integer primary key. */
  serialPk: "integer" | "bigserial";
  /** Column type of 64-bit floats. */
  float: "real" | "double precision";
  /** SQLite clusters small keyed tables on their primary key (`WITHOUT ROWID`). */
  withoutRowid: boolean;
}

export interface Migration {
  version: number;
  description: string;
  up(db: Kysely<Database>, flavor: DdlFlavor): Promise<void>;
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
  { version: 10, description: "series points in their index", up: migrateSeriesPoints },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings a database to {@link SCHEMA_VERSION} in one transaction, recording the version
 * in `labbook_meta`. Refuses a database written by a newer labbook.
 */
export async function migrate(db: Kysely<Database>, flavor: DdlFlavor, where: string): Promise<number> {
  await (db as AnyDb).schema
    .createTable("labbook_meta")
    .ifNotExists()
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("labbook_meta")
      .select("value")
      .where("key", "=", "schema_version")
      .executeTakeFirst();
    const current = row ? Number(row.value) : 0;
    if (current > SCHEMA_VERSION) {
      throw new LabbookError(
        "UNSUPPORTED_VERSION",
        `the store at ${where} has schema version ${current}, written by a newer labbook; this labbook knows versions up to ${SCHEMA_VERSION}. Upgrade labbook to open it.`,
        { details: { storeVersion: current, supportedVersion: SCHEMA_VERSION } },
      );
    }
    for (const m of MIGRATIONS) {
      if (m.version > current) await m.up(trx, flavor);
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
