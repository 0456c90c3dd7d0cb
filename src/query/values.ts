import type { CompareOp, QueryValue } from "./ast.js";

/**
 * A field's value as queries see it: absent, null, a number (booleans are 0/1, NaN kept), a
 * string, an opaque value (an array or object: it exists but equals and orders with nothing),
 * or the set of a run's tag keys.
 */
export type Cell =
  | { t: "missing" }
  | { t: "null" }
  | { t: "num"; v: number }
  | { t: "str"; v: string }
  | { t: "opaque" }
  | { t: "set"; keys: string[] };

export const MISSING: Cell = { t: "missing" };
export const NULL_CELL: Cell = { t: "null" };
export const OPAQUE: Cell = { t: "opaque" };

/**
 * Compares strings by Unicode code point (the byte order of UTF-8, as SQL's binary collation).
 *
 * @example
 * compareStrings("a", "b"); // negative
 */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function asNum(v: QueryValue): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return undefined;
}

/**
 * `cell = v` (two-valued; `= null` holds for a missing or null field; `NaN = NaN` holds).
 *
 * @example
 * cellEquals({ t: "missing" }, null); // true
 */
export function cellEquals(cell: Cell, v: QueryValue): boolean {
  if (v === null) return cell.t === "missing" || cell.t === "null";
  if (cell.t === "set") return typeof v === "string" && cell.keys.includes(v);
  const n = asNum(v);
  if (n !== undefined) return cell.t === "num" && (cell.v === n || (Number.isNaN(cell.v) && Number.isNaN(n)));
  return cell.t === "str" && cell.v === v;
}

/**
 * `cell < v` and friends: numbers with numbers (NaN never orders), strings with strings by code point.
 *
 * @example
 * cellOrders({ t: "num", v: NaN }, "gt", 0); // false
 */
export function cellOrders(cell: Cell, op: Exclude<CompareOp, "eq" | "ne">, v: QueryValue): boolean {
  let c: number;
  const n = asNum(v);
  if (n !== undefined) {
    if (cell.t !== "num" || Number.isNaN(cell.v) || Number.isNaN(n)) return false;
    c = cell.v < n ? -1 : cell.v > n ? 1 : 0;
  } else if (typeof v === "string") {
    if (cell.t !== "str") return false;
    c = compareStrings(cell.v, v);
  } else return false;
  switch (op) {
    case "lt":
      return c < 0;
    case "lte":
      return c <= 0;
    case "gt":
      return c > 0;
    case "gte":
      return c >= 0;
  }
}

/**
 * The sort class of a cell: numbers, strings, NaN, opaque values, then null and missing (nulls last).
 *
 * @example
 * sortClass({ t: "str", v: "x" }); // 1
 */
export function sortClass(cell: Cell): number {
  switch (cell.t) {
    case "num":
      return Number.isNaN(cell.v) ? 2 : 0;
    case "str":
      return 1;
    case "opaque":
    case "set":
      return 3;
    default:
      return 4;
  }
}

/**
 * Orders two cells ascending (`desc` reverses values within a class; classes keep their order).
 *
 * @example
 * compareCells({ t: "null" }, { t: "num", v: 1 }, true); // positive: nulls last
 */
export function compareCells(a: Cell, b: Cell, desc: boolean): number {
  const ca = sortClass(a);
  const cb = sortClass(b);
  if (ca !== cb) return ca - cb;
  let c = 0;
  if (ca === 0) {
    const x = (a as { v: number }).v;
    const y = (b as { v: number }).v;
    c = x < y ? -1 : x > y ? 1 : 0;
  } else if (ca === 1) c = compareStrings((a as { v: string }).v, (b as { v: string }).v);
  if (c === 0) return 0;
  return (c < 0 ? -1 : 1) * (desc ? -1 : 1);
}
