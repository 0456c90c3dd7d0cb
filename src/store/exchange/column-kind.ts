import { jsonNumbers } from "../../results/csv.js";

/**
 * The type of one exported column, widened over every value it holds: whole numbers stay
 * `int64` until a fraction, NaN or an infinity makes them `double`; `timestamp` holds
 * milliseconds since the epoch; a column whose values are of several kinds, or are arrays or
 * objects, is `json` (JSON text, NaN and infinities spelled as strings). Missing values are
 * nulls of any kind.
 */
export type ColumnKind = "int64" | "double" | "boolean" | "string" | "timestamp" | "json" | "null";

/** The kind of one value (`null` for null and undefined). */
export function kindOf(v: unknown): ColumnKind {
  switch (typeof v) {
    case "number":
      return Number.isSafeInteger(v) && !Object.is(v, -0) ? "int64" : "double";
    case "boolean":
      return "boolean";
    case "string":
      return "string";
    case "undefined":
      return "null";
    default:
      if (v === null) return "null";
      if (v instanceof Date) return "timestamp";
      return "json";
  }
}

/** The kind of a column holding values of kinds `a` and `b`. */
export function widen(a: ColumnKind, b: ColumnKind): ColumnKind {
  if (a === b || b === "null") return a;
  if (a === "null") return b;
  if ((a === "int64" && b === "double") || (a === "double" && b === "int64")) return "double";
  return "json";
}

/**
 * A value as the Parquet writer takes it for a column of `kind` (`null` for a missing value).
 *
 * @example
 * toParquetValue("int64", 3); // 3n
 * toParquetValue("json", [1, Number.NaN]); // '[1,"NaN"]'
 */
export function toParquetValue(kind: ColumnKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case "int64":
      return BigInt(v as number);
    case "double":
      return v as number;
    case "timestamp":
      return v instanceof Date ? v : new Date(v as number);
    case "json":
      return JSON.stringify(v instanceof Date ? v.toISOString() : v, jsonNumbers);
    default:
      return v;
  }
}
