import { type Kysely, sql } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import { ROWS_COLUMN } from "../rows/score-columns-write.js";
import type { Database } from "../schema.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/** The rows column's name before migration 10: a NUL, which PostgreSQL text cannot hold. */
const LEGACY_ROWS_COLUMN = "\u0000row_ids";

/**
 * Migration 10 (the team backend): the reserved rows column of `score_chunks` takes a name
 * PostgreSQL can store (`\u0001row_ids`; only SQLite stores can hold the older one), and where
 * the dialect asks for it, an index of numeric param values by path, for ranges on params (text
 * values are left out: a long string or array param would exceed an index entry).
 *
 * @example
 * { version: 10, description: "team backend", up: migrateTeam } // in MIGRATIONS
 */
export async function migrateTeam(dbTyped: Kysely<Database>, d: SqlDialect): Promise<void> {
  const db = dbTyped as AnyDb;
  if (d.name === "sqlite") {
    await sql`update score_chunks set name = ${ROWS_COLUMN} where name = ${LEGACY_ROWS_COLUMN}`.execute(db);
  }
  if (d.ddl.paramValueIndexes) {
    await db.schema.createIndex("run_params_path_num").on("run_params").columns(["path", "num"]).execute();
  }
}
