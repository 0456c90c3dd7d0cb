import type { Kysely, RawBuilder, SqlBool } from "kysely";
import type { Database } from "../schema.js";

export type Sql = RawBuilder<unknown>;
export type Bool = RawBuilder<SqlBool>;

/**
 * The SQL spellings the query compiler needs that differ between databases. Everything else in
 * `search/` is portable SQL written through these.
 */
export interface QueryDialect {
  readonly name: "sqlite" | "postgres";
  /** A boolean that is never NULL: SQL's three-valued logic must not leak into `not`. */
  definite(e: Bool): Bool;
  /** A column value the planner must not look up through a value index (SQLite only). */
  noIndex(e: Sql): Sql;
  /** Text ordered by code point (binary collation). */
  binaryText(e: Sql): Sql;
  /**
   * `text like pattern` with `%`, `_` and backslash escapes (see `query/like.ts`), case-sensitive
   * or folding ASCII letters only.
   */
  like(text: Sql, pattern: string, caseInsensitive: boolean): Bool;
  /**
   * The JSON type of `column` (JSON text) at `keys`, spelled the SQLite way (`integer`, `real`,
   * `text`, `true`, `false`, `null`, `array`, `object`), or NULL when absent.
   */
  jsonType(column: Sql, keys: string[]): Sql;
  /** The scalar at `keys`: numbers (booleans as 1/0) or text. */
  jsonNumber(column: Sql, keys: string[]): Sql;
  /** The text at `keys` (test the JSON type first). */
  jsonText(column: Sql, keys: string[]): Sql;
  /**
   * `e in (values)` with the values bound as one array parameter, however many there are (a list
   * spelled out would meet SQLite's expression depth of 1,000 at a few hundred values). Finite
   * numbers or strings, one type per call.
   */
  inArray(e: Sql, values: readonly (number | string)[], type: "number" | "text"): Bool;
  /** A JSON object text of `key -> value` over the rows of a subquery (NULL when it has none). */
  jsonObjectAgg(key: Sql, value: Sql): Sql;
  /**
   * A JSON array text of values, so that a correlated subquery answers several aggregates at once.
   * Numbers come back as JSON numbers that read to the same doubles (an infinity may come back as
   * a string such as `"Infinity"`; `Number()` reads both).
   */
  jsonArray(items: readonly Sql[]): Sql;
  /**
   * A number bound for comparison with a column of any numeric type (integer or float):
   * PostgreSQL would otherwise read `0.5` or `-Infinity` as the integer type of the column.
   */
  number(v: number): Sql;
}

/** What differs between dialects in DDL. */
export interface DdlFlavor {
  /** Column type of an auto-incremented integer primary key. */
  serialPk: "integer" | "bigserial";
  /** Column type of 64-bit floats. */
  float: "real" | "double precision";
  /** Column type of byte strings. */
  blob: "blob" | "bytea";
  /** Column type of text, compared and ordered by code point (PostgreSQL: collation "C"). */
  text: Sql | "text";
  /** SQLite clusters small keyed tables on their primary key (`WITHOUT ROWID`). */
  withoutRowid: boolean;
  /**
   * Numeric param leaves get a value index, `(path, num)` (PostgreSQL, whose leaves are written
   * with each run anyway); SQLite keeps each run's commit small instead.
   */
  paramValueIndexes: boolean;
  /**
   * The dialect keeps a log of changed runs (`run_changes`, migration 11) for the counts and
   * orders of matches a process caches (SQLite); without it nothing is cached across writes.
   */
  runChangeLog: boolean;
  /**
   * The dialect keeps a log of changed runs by transaction (`run_changes` with each write's
   * transaction id, migration 15: PostgreSQL), read against snapshots, where keys are not
   * committed in key order.
   */
  runChangeXids: boolean;
}

/**
 * One database's SQL: its spellings, its DDL, and the optional capabilities the shared SQL code
 * asks about (an absent or false capability leaves the store correct, by another path).
 */
export interface SqlDialect extends QueryDialect {
  readonly ddl: DdlFlavor;
  /**
   * SQL (without bound values) computing a new run's key in its insert; absent: the key column's
   * default (a sequence) chooses it.
   */
  readonly newRunKey?: Sql;
  /**
   * The deferred run index (SQLite): a run's commit writes its params as JSON only and its summary
   * metrics outside the value index; the first read that needs them writes the param leaves and
   * indexes the metric values (`syncRunIndex`). Without it the leaves and values are written with
   * the run's commit, and nothing is deferred.
   */
  readonly deferredRunIndex: boolean;
  /**
   * Appended to the select of a run's state in a write transaction, so that writers of one run
   * take turns (PostgreSQL: `for update`); empty where a write transaction locks the whole
   * database (SQLite).
   */
  readonly lockRun: Sql;
  /**
   * The `field_summaries` row (of a field and type) a write transaction adds to (migration 14):
   * PostgreSQL spreads concurrent transactions over 64 rows by transaction id, so that writers of
   * one experiment do not wait on each other's commits; SQLite, whose writers take turns anyway,
   * keeps one row (0).
   */
  readonly summarySlot: Sql;
  /** Takes the lock that makes a migration run once, inside the migration's transaction. */
  migrationLock(trx: Kysely<Database>): Promise<void>;
}
