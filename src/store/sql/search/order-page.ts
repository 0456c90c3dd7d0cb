import { sql } from "kysely";
import type { RunChangeMark, SqlContext } from "../context.js";
import { setBounded } from "../shared/bounded-map.js";
import { rowObjects } from "../shared/row-objects.js";
import { keysAt } from "./compile-sort.js";
import { markKey, selectRows } from "./match-count.js";
import { firstAfter, type MatchOrder, type OrderRow, orderRows } from "./match-order.js";
import type { OrderedPage, OrderedPageInput } from "./ordered-page.js";
import { type CursorState, encodeCursor } from "./paging.js";

/** A cursor's position as a row of the order's columns (its key values and tie-break). */
function cursorRow(names: readonly string[], state: CursorState): OrderRow {
  return names.map((name) => {
    if (name === "tie0") return state.tie[0];
    const m = /^k(\d+)([pcnt])$/.exec(name);
    if (!m) return null;
    const at = state.keys[Number(m[1])];
    return at?.[m[2] as "p" | "c" | "n" | "t"] ?? null;
  });
}

/** A page's columns as read, with the change-feed mark they were read under. */
interface KeptColumns {
  mark: RunChangeMark;
  names: string[];
  rows: readonly (readonly unknown[])[];
}

/**
 * The columns of the pages served last, per database and columns list, by the page's run keys:
 * a page asked again while no run changed (the change feed's mark unchanged: every write to a
 * run records it, a new run moves `top`; on PostgreSQL, no commit changed the snapshot) is not
 * read again. The rows are kept as read (arrays) and made into new objects for each search, so
 * nothing handed out is shared.
 */
const keptColumns = new WeakMap<object, WeakMap<object, Map<string, KeptColumns>>>();
const KEPT_PAGES = 64;

/** The page's selected columns, read by run key, in the order of `keyed` (runs deleted since are left out). */
async function pageColumns(
  ctx: SqlContext,
  keyed: Record<string, unknown>[],
  columns: NonNullable<OrderedPageInput["columns"]>,
  mark: RunChangeMark | undefined,
): Promise<Record<string, unknown>[]> {
  const ids = keyed.map((k) => Number(k.id));
  let byColumns = keptColumns.get(ctx.db);
  if (!byColumns) {
    byColumns = new WeakMap();
    keptColumns.set(ctx.db, byColumns);
  }
  let pages = byColumns.get(columns);
  if (!pages) {
    pages = new Map();
    byColumns.set(columns, pages);
  }
  const key = ids.join(",");
  let read = mark ? pages.get(key) : undefined;
  if (!read || !mark || markKey(read.mark) !== markKey(mark)) {
    const fresh = await selectRows(ctx, columnsQuery(ctx, ids, columns));
    read = { mark: mark as RunChangeMark, names: fresh.names, rows: fresh.rows };
    if (mark) setBounded(pages, key, read, KEPT_PAGES);
  }
  const got = rowObjects(read.names, read.rows);
  const byId = new Map(got.map((r) => [Number(r.id), r]));
  return keyed.filter((k) => byId.has(Number(k.id))).map((k) => Object.assign(byId.get(Number(k.id))!, k));
}

function columnsQuery(ctx: SqlContext, ids: number[], columns: NonNullable<OrderedPageInput["columns"]>) {
  return sql`select r.id as id, ${sql.join(columns)} from runs as r where r.id in (${sql.join(ids)})`.compile(
    ctx.db,
  );
}

/**
 * A page of runs cut from every match kept in order (see `countMatches`): by offset, or after a
 * keyset cursor (found by binary search), then the page's columns read by key, so that a page
 * costs the same whatever the sort and however many runs match.
 *
 * @example
 * const page = await pageOfOrder(ctx, input, matches.order, undefined, 1);
 */
export async function pageOfOrder(
  ctx: SqlContext,
  q: OrderedPageInput,
  order: MatchOrder,
  state: CursorState | undefined,
  page: number,
  mark?: RunChangeMark,
): Promise<OrderedPage> {
  const from = state ? firstAfter(order, cursorRow(order.names, state)) : (page - 1) * q.pageSize;
  const slice = orderRows(order, from, from + q.pageSize);
  const keyed = rowObjects(order.names, slice);
  const rows =
    keyed.length > 0 && q.columns && q.columns.length > 0
      ? await pageColumns(ctx, keyed, q.columns, mark)
      : keyed;
  const last = keyed[keyed.length - 1];
  const more = from + slice.length < order.length;
  const nextCursor =
    more && last
      ? encodeCursor({
          query: q.digest,
          page: page + 1,
          keys: keysAt(last, q.sort.length),
          tie: [String(last.tie0)],
        })
      : null;
  return { ids: rows.map((r) => Number(r.id)), rows, page, total: order.length, nextCursor };
}
