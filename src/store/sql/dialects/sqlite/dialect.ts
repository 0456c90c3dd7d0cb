import { type SqlBool, sql } from "kysely";
import { INDEXED_THROUGH } from "../../runs/run-index.js";
import { sqliteGlobPattern, sqlLikePattern } from "../like-pattern.js";
import type { Bool, Sql, SqlDialect } from "../types.js";

const TOP = sql`coalesce((select max(id) from runs), 0)`;

function jsonPath(keys: string[]): string {
  return `$${keys.map((k) => `."${k}"`).join("")}`;
}

/**
 * SQLite's SQL. A new run's key is above every key in use and above `run_index.through`
 * (migration 7), so that the runs whose param leaves are still to write are the keys above it
 * even after the newest runs were deleted (one row per insert; each subquery is uncorrelated, so
 * evaluated once per statement). The deferred run index is on; writes lock the whole database.
 *
 * @example
 * sqliteDialect.like(sql.ref("r.name"), "llama%", false); // ("r"."name" glob 'llama*')
 */
export const sqliteDialect: SqlDialect = {
  name: "sqlite",
  definite: (e) => sql<SqlBool>`coalesce(${e}, 0)`,
  // SQLite would otherwise answer a correlated `exists` by scanning an index range
  // (`name, value`) for every run instead of one primary-key lookup.
  noIndex: (e) => sql`(+${e})`,
  binaryText: (e) => e,
  // GLOB for case-sensitive matching, LIKE (ASCII-folding) for `ilike`.
  like(text: Sql, pattern: string, caseInsensitive: boolean): Bool {
    if (!caseInsensitive) return sql<SqlBool>`(${text} glob ${sqliteGlobPattern(pattern)})`;
    return sql<SqlBool>`(${text} like ${sqlLikePattern(pattern)} escape '\\')`;
  },
  jsonType: (column, keys) => sql`json_type(${column}, ${jsonPath(keys)})`,
  jsonNumber: (column, keys) => sql`json_extract(${column}, ${jsonPath(keys)})`,
  jsonText: (column, keys) => sql`json_extract(${column}, ${jsonPath(keys)})`,
  // A JSON array read by `json_each`.
  inArray: (e, values) => sql<SqlBool>`(${e} in (select value from json_each(${JSON.stringify(values)})))`,
  jsonObjectAgg: (key, value) => sql`json_group_object(${key}, ${value})`,
  jsonArray: (items) => sql`json_array(${sql.join(items)})`,
  number: (v) => sql`${v}`,
  ddl: {
    serialPk: "integer",
    float: "real",
    blob: "blob",
    text: "text",
    withoutRowid: true,
    paramValueIndexes: false,
    runChangeLog: true,
    runChangeXids: false,
  },
  // SQLite's two-argument max(): each subquery is evaluated once per insert (the case expression
  // named each twice).
  newRunKey: sql`(max(${TOP}, ${INDEXED_THROUGH}) + 1)`,
  deferredRunIndex: true,
  lockRun: sql``,
  summarySlot: sql`0`,
  // A migration runs in a `BEGIN IMMEDIATE` transaction: the database's write lock.
  migrationLock: async () => undefined,
};
