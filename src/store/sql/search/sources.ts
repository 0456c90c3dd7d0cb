import { type SqlBool, sql } from "kysely";
import type { FieldRef } from "../../../query/fields.js";
import type { MetricThreshold } from "../../../scores/definitions.js";
import { type Bool, type Dialect, FALSE, type Sql, TRUE } from "./dialect.js";
import { passedSql } from "./passed-sql.js";

/** How a field's value reads in SQL: its null/NaN/string tests and its number and text. */
export interface Cols {
  isNull: Bool;
  isNaN: Bool;
  isStr: Bool;
  /** Numbers and booleans (1/0); NULL otherwise (NaN included). `undefined`: never a number. */
  num?: Sql;
  /** Strings (test `isStr` first); `undefined`: never a string. */
  text?: Sql;
}

/** A child table keyed by owner and name, one row per present value. */
export interface ChildSource {
  kind: "child";
  table: string;
  ownerCol: string;
  keyCol: string;
  key: string;
  cols(alias: string): Cols;
}
/** A value computed from the owner's own columns (`missing` when absent). */
export interface DirectSource {
  kind: "direct";
  missing: Bool;
  cols: Cols;
  /** A non-null number or text column, sortable as it is (an index can serve the order). */
  plain?: Sql;
}
export type Source = ChildSource | DirectSource | { kind: "tags" };

export interface SourceEnv {
  dialect: Dialect;
  /** The alias of the owner table: `r` (runs) or `w` (run_rows). */
  owner: "r" | "w";
  /** Score thresholds of the run's metric definitions (rows: for `passed`). */
  thresholds?: ReadonlyMap<string, MetricThreshold>;
  /**
   * Every summary metric is in the metric-value index (`syncRunIndex` said so): joins that
   * range or order on a metric's value add `pending = 0`, the index's condition, to use it.
   */
  metricIndex?: boolean;
}

/**
 * The condition of the metric-value index on a `run_metrics` alias, when the index is complete.
 *
 * @example
 * metricIndexed("s0", { dialect: sqliteDialect, owner: "r", metricIndex: true }); // and "s0"."pending" = 0
 */
export function metricIndexed(alias: string, env: SourceEnv): Sql {
  return env.metricIndex ? sql` and ${sql.ref(`${alias}.pending`)} = 0` : sql``;
}

const ref = (alias: string, col: string) => sql.ref(`${alias}.${col}`);

function typed(alias: string, nanCol: boolean): Cols {
  return {
    isNull: sql<SqlBool>`${ref(alias, "type")} = 'null'`,
    isNaN: nanCol
      ? sql<SqlBool>`${ref(alias, "nan")} = 1`
      : sql<SqlBool>`(${ref(alias, "type")} = 'number' and ${ref(alias, "num")} is null)`,
    isStr: sql<SqlBool>`${ref(alias, "type")} = 'string'`,
    num: ref(alias, "num"),
    text: ref(alias, "text"),
  };
}

function column(col: Sql, type: "string" | "number" | "time", nullable: boolean): DirectSource {
  const isNull = nullable ? sql<SqlBool>`${col} is null` : FALSE;
  const cols: Cols =
    type === "string"
      ? { isNull, isNaN: FALSE, isStr: nullable ? sql<SqlBool>`${col} is not null` : TRUE, text: col }
      : { isNull, isNaN: FALSE, isStr: FALSE, num: col };
  return { kind: "direct", missing: FALSE, cols, ...(nullable ? {} : { plain: col }) };
}

const RUN_COLUMNS: Record<string, string> = { experiment: "experiment_name", version: "experiment_version" };

/**
 * Where a field's value lives in SQL.
 *
 * @example
 * sourceOf({ kind: "metric", name: "acc" }, { dialect: sqliteDialect, owner: "r" }); // run_metrics by name
 */
export function sourceOf(f: FieldRef, env: SourceEnv): Source {
  const o = env.owner;
  switch (f.kind) {
    case "column":
      return column(ref(o, RUN_COLUMNS[f.column] ?? f.column), f.type, f.nullable);
    case "param":
      return {
        kind: "child",
        table: "run_params",
        ownerCol: "run_pk",
        keyCol: "path",
        key: f.path,
        cols: (a) => typed(a, false),
      };
    case "derived":
      return {
        kind: "child",
        table: "run_derived",
        ownerCol: "run_pk",
        keyCol: "name",
        key: f.name,
        cols: (a) => typed(a, false),
      };
    case "score":
      return {
        kind: "child",
        table: "row_scores",
        ownerCol: "row_pk",
        keyCol: "name",
        key: f.name,
        cols: (a) => typed(a, true),
      };
    case "metric":
      return {
        kind: "child",
        table: "run_metrics",
        ownerCol: "run_pk",
        keyCol: "name",
        key: f.name,
        cols: (a) => ({
          isNull: FALSE,
          isNaN: sql<SqlBool>`${ref(a, "nan")} = 1`,
          isStr: FALSE,
          num: ref(a, "value"),
        }),
      };
    case "tag":
      return {
        kind: "child",
        table: "run_tags",
        ownerCol: "run_pk",
        keyCol: "key",
        key: f.key,
        cols: (a) => ({ isNull: FALSE, isNaN: FALSE, isStr: TRUE, text: ref(a, "value") }),
      };
    case "tags":
      return { kind: "tags" };
    case "json": {
      const col = ref(o, f.column);
      const jt = env.dialect.jsonType(col, f.keys);
      const isNum = sql<SqlBool>`${jt} in ('integer', 'real', 'true', 'false')`;
      return {
        kind: "direct",
        missing: sql<SqlBool>`${jt} is null`,
        cols: {
          isNull: sql<SqlBool>`${jt} = 'null'`,
          isNaN: FALSE,
          isStr: sql<SqlBool>`${jt} = 'text'`,
          num: sql`(case when ${isNum} then ${env.dialect.jsonNumber(col, f.keys)} end)`,
          text: env.dialect.jsonText(col, f.keys),
        },
      };
    }
    case "passed": {
      const p = passedSql(env.dialect, ref(o, "id"), env.thresholds ?? new Map());
      return {
        kind: "direct",
        missing: FALSE,
        cols: { isNull: FALSE, isNaN: FALSE, isStr: FALSE, num: sql`(case when ${p} then 1 else 0 end)` },
      };
    }
  }
}
