import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import { likePieces } from "../../../query/like.js";
import type { Database } from "../schema.js";

/**
 * Every SQL difference between dialects that the query compiler needs, in one place.
 * The rest of `search/` writes portable SQL through these functions.
 */
export type Dialect = "sqlite" | "postgres";

export type Sql = RawBuilder<unknown>;
export type Bool = RawBuilder<SqlBool>;

export const TRUE: Bool = sql<SqlBool>`(1 = 1)`;
export const FALSE: Bool = sql<SqlBool>`(1 = 0)`;

/**
 * A boolean that is never NULL: SQL's three-valued logic must not leak into `not`.
 *
 * @example
 * definite("sqlite", sql`a > 1`); // coalesce(a > 1, 0)
 */
export function definite(d: Dialect, e: Bool): Bool {
  return d === "sqlite" ? sql<SqlBool>`coalesce(${e}, 0)` : sql<SqlBool>`coalesce(${e}, false)`;
}

/**
 * A column value the planner must not look up through a value index: SQLite would otherwise
 * answer a correlated `exists` by scanning an index range (`name, value`) for every run instead
 * of one primary-key lookup. PostgreSQL plans these well as they are.
 *
 * @example
 * noIndex("sqlite", sql.ref("c.value")); // (+"c"."value")
 */
export function noIndex(d: Dialect, e: Sql): Sql {
  return d === "sqlite" ? sql`(+${e})` : e;
}

/**
 * Text ordered by code point (binary collation).
 *
 * @example
 * binaryText("postgres", sql.ref("r.name")); // ("r"."name" collate "C")
 */
export function binaryText(d: Dialect, e: Sql): Sql {
  return d === "sqlite" ? e : sql`(${e} collate "C")`;
}

/**
 * `text like pattern`: `%`, `_` and backslash escapes (see `query/like.ts`), case-sensitive or
 * folding ASCII letters only. SQLite: GLOB for case-sensitive matching, LIKE (ASCII-folding) for
 * `ilike`. PostgreSQL: LIKE, and LIKE over ASCII-lowered operands for `ilike`.
 *
 * @example
 * likeSql("sqlite", sql.ref("r.name"), "llama%", false); // ("r"."name" glob 'llama*')
 */
export function likeSql(d: Dialect, text: Sql, pattern: string, caseInsensitive: boolean): Bool {
  const pieces = likePieces(pattern);
  if (d === "sqlite" && !caseInsensitive) {
    const glob = pieces
      .map((p) => (p.t === "any" ? "*" : p.t === "one" ? "?" : "*?[".includes(p.c) ? `[${p.c}]` : p.c))
      .join("");
    return sql<SqlBool>`(${text} glob ${glob})`;
  }
  const like = pieces
    .map((p) => (p.t === "any" ? "%" : p.t === "one" ? "_" : "%_\\".includes(p.c) ? `\\${p.c}` : p.c))
    .join("");
  if (d === "sqlite") return sql<SqlBool>`(${text} like ${like} escape '\\')`;
  if (!caseInsensitive) return sql<SqlBool>`(${text} like ${like} escape '\\')`;
  const lower = (e: Sql) => sql`translate(${e}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;
  return sql<SqlBool>`(${lower(text)} like ${lower(sql`${like}`)} escape '\\')`;
}

/**
 * `e in (values)` with the values bound as one array parameter, however many there are (a
 * list spelled out would meet SQLite's expression depth of 1,000 at a few hundred values):
 * SQLite reads a JSON array with `json_each`, PostgreSQL takes an array with `= any`. Finite
 * numbers or strings, one type per call.
 *
 * @example
 * inArray("sqlite", sql.ref("c.value"), [1, 2, 3], "number"); // "c"."value" in (select value from json_each('[1,2,3]'))
 * inArray("postgres", sql.ref("c.text"), ["a", "b"], "text"); // "c"."text" = any($1::text[])
 */
export function inArray(
  d: Dialect,
  e: Sql,
  values: readonly (number | string)[],
  type: "number" | "text",
): Bool {
  if (d === "sqlite") return sql<SqlBool>`(${e} in (select value from json_each(${JSON.stringify(values)})))`;
  const array = type === "number" ? sql`${values}::double precision[]` : sql`${values}::text[]`;
  return sql<SqlBool>`(${e} = any(${array}))`;
}

/**
 * The JSON type of `column` at `keys` (`null` when absent), spelled the SQLite way.
 *
 * @example
 * jsonType("sqlite", sql.ref("w.item"), ["a"]); // json_type("w"."item", '$."a"')
 */
export function jsonType(d: Dialect, column: Sql, keys: string[]): Sql {
  if (d === "sqlite") return sql`json_type(${column}, ${jsonPath(keys)})`;
  const t = sql`jsonb_typeof((${column})::jsonb #> ${keys}::text[])`;
  const v = sql`((${column})::jsonb #>> ${keys}::text[])`;
  return sql`(case ${t} when 'number' then 'real' when 'string' then 'text' when 'boolean' then ${v} else ${t} end)`;
}

/**
 * The scalar at `keys`: numbers (booleans as 1/0) or text.
 *
 * @example
 * jsonNumber("sqlite", sql.ref("w.item"), ["n"]);
 */
export function jsonNumber(d: Dialect, column: Sql, keys: string[]): Sql {
  if (d === "sqlite") return sql`json_extract(${column}, ${jsonPath(keys)})`;
  const v = sql`((${column})::jsonb #>> ${keys}::text[])`;
  return sql`(case ${v} when 'true' then 1 when 'false' then 0 else (${v})::double precision end)`;
}

/**
 * The text at `keys` (test the JSON type first).
 *
 * @example
 * jsonText("sqlite", sql.ref("w.item"), ["q"]);
 */
export function jsonText(d: Dialect, column: Sql, keys: string[]): Sql {
  if (d === "sqlite") return sql`json_extract(${column}, ${jsonPath(keys)})`;
  return sql`((${column})::jsonb #>> ${keys}::text[])`;
}

function jsonPath(keys: string[]): string {
  return `$${keys.map((k) => `."${k}"`).join("")}`;
}

/**
 * A token that changes whenever the database may have changed (writes of this connection or
 * commits of others), for caches of counts; `null` when the dialect offers none (no caching).
 *
 * @example
 * const token = await changeToken(ctx.dialect, ctx.db); // "12:3"
 */
export async function changeToken(d: Dialect, db: Kysely<Database>): Promise<string | null> {
  if (d !== "sqlite") return null;
  const { rows } = await sql<{
    c: number;
    v: number;
  }>`select total_changes() as c, (select data_version from pragma_data_version) as v`.execute(db);
  const r = rows[0];
  return r ? `${r.c}:${r.v}` : null;
}

/**
 * A JSON object text of `key -> value` over the rows of a subquery (`null` when it has none):
 * SQLite `json_group_object`, PostgreSQL `json_object_agg`.
 *
 * @example
 * jsonObjectAgg("sqlite", sql`c.name`, sql`c.value`);
 */
export function jsonObjectAgg(d: Dialect, key: Sql, value: Sql): Sql {
  return d === "sqlite"
    ? sql`json_group_object(${key}, ${value})`
    : sql`json_object_agg(${key}, ${value})::text`;
}
