import { type Kysely, type SqlBool, sql } from "kysely";
import type { Database } from "../../schema.js";
import { sqlLikePattern } from "../like-pattern.js";
import type { Bool, Sql, SqlDialect } from "../types.js";

/** JSON text read as `json` (not `jsonb`, which refuses a `\u0000` escape that JSON allows). */
const json = (column: Sql) => sql`(${column})::json`;
const lower = (e: Sql) => sql`translate(${e}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;

/**
 * PostgreSQL's SQL. Run keys come from the key column's sequence; param leaves and metric values
 * are written and indexed with each run's commit (no deferred index: several writers would make
 * a key watermark unsafe); a write locks the run it writes (`for update`); a migration holds an
 * advisory lock of the schema.
 *
 * @example
 * postgresDialect.binaryText(sql.ref("r.name")); // ("r"."name" collate "C")
 */
export const postgresDialect: SqlDialect = {
  name: "postgres",
  definite: (e) => sql<SqlBool>`coalesce(${e}, false)`,
  noIndex: (e) => e,
  binaryText: (e) => sql`(${e} collate "C")`,
  // LIKE, and LIKE over ASCII-lowered operands for `ilike` (ILIKE would fold every letter).
  like(text: Sql, pattern: string, caseInsensitive: boolean): Bool {
    const like = sqlLikePattern(pattern);
    if (!caseInsensitive) return sql<SqlBool>`(${text} like ${like} escape '\\')`;
    return sql<SqlBool>`(${lower(text)} like ${lower(sql`${like}`)} escape '\\')`;
  },
  jsonType(column, keys) {
    const t = sql`json_typeof(${json(column)} #> ${keys}::text[])`;
    const v = sql`(${json(column)} #>> ${keys}::text[])`;
    return sql`(case ${t} when 'number' then 'real' when 'string' then 'text' when 'boolean' then ${v} else ${t} end)`;
  },
  jsonNumber(column, keys) {
    const v = sql`(${json(column)} #>> ${keys}::text[])`;
    return sql`(case ${v} when 'true' then 1 when 'false' then 0 else (${v})::double precision end)`;
  },
  jsonText: (column, keys) => sql`(${json(column)} #>> ${keys}::text[])`,
  inArray(e, values, type) {
    const array = type === "number" ? sql`${values}::double precision[]` : sql`${values}::text[]`;
    return sql<SqlBool>`(${e} = any(${array}))`;
  },
  jsonObjectAgg: (key, value) => sql`json_object_agg(${key}, ${value})::text`,
  jsonArray: (items) => sql`json_build_array(${sql.join(items)})::text`,
  // Whole numbers as bigint (an index on an integer column still serves), others as float8.
  number: (v) => (Number.isSafeInteger(v) ? sql`cast(${v} as bigint)` : sql`cast(${v} as double precision)`),
  ddl: {
    serialPk: "bigserial",
    float: "double precision",
    blob: "bytea",
    text: sql`text collate "C"`,
    withoutRowid: false,
    paramValueIndexes: true,
    runChangeLog: false,
    runChangeXids: true,
  },
  deferredRunIndex: false,
  lockRun: sql` for update`,
  // Concurrent transactions have neighbouring ids, so they land in different rows.
  summarySlot: sql`cast(txid_current() % 64 as integer)`,
  async migrationLock(trx: Kysely<Database>) {
    await sql`select pg_advisory_xact_lock(hashtext('labbook schema ' || current_schema()))`.execute(trx);
  },
};
