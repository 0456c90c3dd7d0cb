import { compareStrings } from "../../../query/values.js";
import type { SortPlan } from "./compile-sort.js";

/** A row as the query of matches selects it: the run's key, its `run_id` (`tie0`), its sort keys. */
export type OrderRow = readonly unknown[];

/** How rows compare in an order: a row with a kept row (by index), or two rows. */
export interface RowCompare {
  kept(a: OrderRow, cols: readonly unknown[][], b: number): number;
  rows(a: OrderRow, b: OrderRow): number;
}

/**
 * Every match of a query in its sort's order, as the page query selects them (`id`, `tie0`,
 * then the `k<i>p` or `k<i>c`/`k<i>n`/`k<i>t` key columns), so that a page is a slice. Kept by
 * column (one array per selected column): numbers then sit unboxed, about half the memory of a
 * row array each.
 */
export interface MatchOrder {
  names: readonly string[];
  cols: unknown[][];
  length: number;
  compare: RowCompare;
}

/** An order of rows already sorted (by the query that read them). */
export function orderOf(
  names: readonly string[],
  rows: readonly OrderRow[],
  compare: RowCompare,
): MatchOrder {
  const cols = names.map((_, c) => rows.map((r) => r[c]));
  return { names, cols, length: rows.length, compare };
}

/** The kept rows `from` to `to` (exclusive), as row arrays. */
export function orderRows(order: MatchOrder, from: number, to: number): OrderRow[] {
  const out: OrderRow[] = [];
  for (let i = from; i < Math.min(to, order.length); i++) out.push(order.cols.map((col) => col[i]));
  return out;
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
 * The comparison that is the plan's `order by` (each key's class ascending, its number and text
 * in the key's direction, then the tie-break), over rows with these columns.
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
  return {
    kept(a, cols, b) {
      for (const s of steps) {
        const c = compareValues(a[s.at], cols[s.at]![b]);
        if (c !== 0) return s.desc ? -c : c;
      }
      return 0;
    },
    rows(a, b) {
      for (const s of steps) {
        const c = compareValues(a[s.at], b[s.at]);
        if (c !== 0) return s.desc ? -c : c;
      }
      return 0;
    },
  };
}

/**
 * The index of the first kept row that comes after `row` in the order (binary search).
 *
 * @example
 * firstAfter(order, cursorRow);
 */
export function firstAfter(order: MatchOrder, row: OrderRow): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (order.compare.kept(row, order.cols, mid) >= 0) lo = mid + 1;
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
export function refreshOrder(
  order: MatchOrder,
  dropped: ReadonlySet<number>,
  fresh: readonly OrderRow[],
): void {
  if (dropped.size > 0) {
    const keep: number[] = [];
    const ids = order.cols[0]!;
    for (let i = 0; i < order.length; i++) if (!dropped.has(Number(ids[i]))) keep.push(i);
    order.cols = order.cols.map((col) => keep.map((i) => col[i]));
    order.length = keep.length;
  }
  if (fresh.length === 0) return;
  // In place: a page is cut from the order before any later search refreshes it.
  if (fresh.length <= 32) {
    for (const r of fresh) {
      const at = firstAfter(order, r);
      for (let c = 0; c < order.cols.length; c++) order.cols[c]!.splice(at, 0, r[c]);
      order.length++;
    }
    return;
  }
  const added = [...fresh].sort(order.compare.rows);
  const cols: unknown[][] = order.cols.map(() => []);
  let i = 0;
  let j = 0;
  const take = (row: OrderRow | null, at: number) => {
    for (let c = 0; c < cols.length; c++) cols[c]!.push(row ? row[c] : order.cols[c]![at]);
  };
  while (i < order.length || j < added.length) {
    if (j >= added.length || (i < order.length && order.compare.kept(added[j]!, order.cols, i) > 0))
      take(null, i++);
    else take(added[j++]!, -1);
  }
  order.cols = cols;
  order.length += added.length;
}
