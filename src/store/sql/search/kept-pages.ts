import type { CompiledQuery } from "kysely";
import type { SqlContext } from "../context.js";
import { type ReadsUnderWay, readOnce } from "../shared/reads-under-way.js";
import { rowObjects } from "../shared/row-objects.js";

/** Pages kept per store handle (its `db`), and rows of all of them together. */
export const KEPT_PAGES = 64;
const KEPT_ROWS = 16_000;

/** A page's rows as read (arrays of primitive values), under the change token read before it. */
interface KeptPage {
  token: string;
  names: string[];
  rows: unknown[][];
}

interface Kept {
  pages: Map<string, KeptPage>;
  rows: number;
  /** Pages being read, by key: a search under the same token waits for the read under way. */
  reading: ReadsUnderWay<KeptPage | null>;
}

const kept = new WeakMap<object, Kept>();

function keptOf(ctx: SqlContext): Kept {
  let k = kept.get(ctx.db);
  if (!k) {
    k = { pages: new Map(), rows: 0, reading: new Map() };
    kept.set(ctx.db, k);
  }
  return k;
}

/** A bound value as a key part that tells apart every value the driver sends differently (NaN, null, "1", 1). */
function paramKey(v: unknown): string | null {
  if (v === null || v === undefined) return "z";
  switch (typeof v) {
    case "number":
      return `n${v}`;
    case "bigint":
      return `i${v}`;
    case "boolean":
      return v ? "t" : "f";
    case "string":
      return JSON.stringify(v);
  }
  if (!Array.isArray(v)) return null;
  const parts = v.map(paramKey);
  return parts.includes(null) ? null : `[${parts.join(",")}]`;
}

/**
 * A compiled query's text and bound values as one string, or `null` when a value is of a kind
 * the key does not spell (such a query is not kept).
 *
 * @example
 * queryKey(sql`select ${1}`.compile(db)); // "select $1\u0000n1"
 */
export function queryKey(q: CompiledQuery): string | null {
  const parts = q.parameters.map(paramKey);
  return parts.includes(null) ? null : `${q.sql}\u0000${parts.join("\u0001")}`;
}

/**
 * The rows of a page query, kept per store handle by the query's text and bound values under the
 * change token read at the start of the search (see {@link SqlContext.changeToken}): asked again
 * while the token is unchanged (no commit anywhere since), the page is not read again, and
 * searches under the same token while it is being read wait for that one read. Kept rows are
 * arrays of primitive values made into new objects for each search, so that nothing handed out
 * is shared. At most {@link KEPT_PAGES} pages, the least recently asked go first.
 *
 * @example
 * const rows = await keptPage(ctx, compiled, token, () => read(compiled));
 */
export async function keptPage(
  ctx: SqlContext,
  q: CompiledQuery,
  token: string,
  read: () => Promise<Record<string, unknown>[]>,
): Promise<Record<string, unknown>[]> {
  const key = queryKey(q);
  if (key === null) return read();
  const k = keptOf(ctx);
  const hit = k.pages.get(key);
  if (hit?.token === token) {
    k.pages.delete(key); // the most recently asked
    k.pages.set(key, hit);
    return rowObjects(hit.names, hit.rows);
  }
  // The search that reads returns its rows as read; those waiting for its read, the rows kept.
  let mine: Record<string, unknown>[] | undefined;
  const page = await readOnce(k.reading, key, token, async () => {
    mine = await read();
    return keep(k, key, token, mine);
  });
  if (mine) return mine;
  return page ? rowObjects(page.names, page.rows) : read();
}

/** Keeps a page read under `token` (unless its values are not all primitive, or it is too long). */
function keep(k: Kept, key: string, token: string, rows: Record<string, unknown>[]): KeptPage | null {
  const names = rows[0] ? Object.keys(rows[0]) : [];
  const arrays = rows.map((r) => names.map((n) => r[n]));
  if (rows.length > KEPT_ROWS || !arrays.every((a) => a.every((v) => v === null || typeof v !== "object"))) {
    return null;
  }
  const page = { token, names, rows: arrays };
  const old = k.pages.get(key);
  if (old) {
    k.pages.delete(key);
    k.rows -= old.rows.length;
  }
  k.pages.set(key, page);
  k.rows += arrays.length;
  for (const [oldKey, oldest] of k.pages) {
    if (k.pages.size <= KEPT_PAGES && k.rows <= KEPT_ROWS) break;
    k.pages.delete(oldKey);
    k.rows -= oldest.rows.length;
  }
  return page;
}
