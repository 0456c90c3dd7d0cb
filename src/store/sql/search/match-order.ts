import { compareStrings } from "../../../query/values.js";
import type { SortPlan } from "./compile-sort.js";

/** A row of a match order: the run's key, its `run_id` (`tie0`) and its sort key values. */
export type OrderRow = readonly unknown[];
export type RowCompare = (a: OrderRow, b: OrderRow) => number;

/**
 * Every match of a query in its sort's order, as the page query selects them (`id`, `tie0`,
 * then the `k<i>p` or `k<i>c`/`k<i>n`/`k<i>t` key columns), so that a page is a slice.
 */
export interface MatchOrder {
  names: readonly string[];
  rows: OrderRow[];
  compare: RowCompare;
}

/** Two SQL values in SQLite's order: NULL, then numbers, then text by code point. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  const an = typeof a === "number" || typeof a === "bigint";
  const bn = typeof b === "number" || typeof b === "bigint";
  if (an && bn) return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  if (an !== bn) return an ? -1 : 1;
  return compareStrings(String(a), String(b));
}

/**
 * The comparison of order rows that is the plan's `order by` (each key's class ascending, its
 * number and text in the key's direction, then the tie-break), over rows with these columns.
 *
 * @example
 * const cmp = orderCompare(["id", "tie0", "k0p"], plan); // plan of "-created_at"
 */
export function orderCompare(names: readonly string[], plan: SortPlan): RowCompare {
  const steps: { at: number; desc: boolean }[] = [];
  const at = (name: string) => names.indexOf(name);
  plan.keys.forEach((k, i) => {
    if (k.plain) steps.push({ at: at(`k${i}p`), desc: k.desc });
    else {
      steps.push({ at: at(`k${i}c`), desc: false });
      if (k.num) steps.push({ at: at(`k${i}n`), desc: k.desc });
      if (k.text) steps.push({ at: at(`k${i}t`), desc: k.desc });
    }
  });
  steps.push({ at: at("tie0"), desc: plan.tieDesc });
  if (steps.some((s) => s.at < 0)) throw new Error(`order columns missing from ${names.join(", ")}`);
  return (a, b) => {
    for (const s of steps) {
      const c = compareValues(a[s.at], b[s.at]);
      if (c !== 0) return s.desc ? -c : c;
    }
    return 0;
  };
}

/**
 * The index of the first row that comes after `row` in the order (binary search).
 *
 * @example
 * firstAfter(order.rows, cursorRow, order.compare);
 */
export function firstAfter(rows: readonly OrderRow[], row: OrderRow, compare: RowCompare): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(rows[mid]!, row) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Brings an order up to date: drops the rows of the `dropped` runs (changed runs that matched),
 * then puts in the rows of the changed runs that match now (`fresh`, in any order).
 *
 * @example
 * refreshOrder(order, new Set([12, 40]), [[40, "run40", 0.9]]);
 */
export function refreshOrder(order: MatchOrder, dropped: ReadonlySet<number>, fresh: OrderRow[]): void {
  let rows = order.rows;
  if (dropped.size > 0) rows = rows.filter((r) => !dropped.has(Number(r[0])));
  if (fresh.length > 0) {
    const added = [...fresh].sort(order.compare);
    // In place: a page is cut from the order before any later search refreshes it.
    if (added.length <= 32) for (const r of added) rows.splice(firstAfter(rows, r, order.compare), 0, r);
    else rows = merge(rows, added, order.compare);
  }
  order.rows = rows;
}

function merge(a: readonly OrderRow[], b: readonly OrderRow[], compare: RowCompare): OrderRow[] {
  const out: OrderRow[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compare(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
