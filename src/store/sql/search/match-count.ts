import { type CompiledQuery, type RawBuilder, type SqlBool, sql } from "kysely";
import type { RunChangeMark, SqlContext } from "../context.js";
import { setBounded } from "../shared/bounded-map.js";
import { type ReadsUnderWay, readOnce } from "../shared/reads-under-way.js";
import { rowArrays } from "../shared/row-objects.js";
import { queryKey } from "./kept-pages.js";
import { type MatchOrder, type OrderRow, orderOf, type RowCompare, refreshOrder } from "./match-order.js";

/** Runs changed since a count beyond which recounting beats re-testing them one by one. */
const MAX_CHANGED = 5_000;
/** Run keys per `in (...)` list when re-testing changed runs. */
const CHUNK = 500;
/** Queries whose counts are kept per database. */
const MAX_ENTRIES = 256;
/**
 * Rows of match orders kept per database, all queries together (about 100 bytes each): past it,
 * the orders of the queries searched least recently go (their counts stay).
 */
export const ORDER_BUDGET = 400_000;

interface TokenEntry {
  kind: "token";
  token: string;
  n: number;
}
/** The matching runs as a bit set over `runs.id`, as of a change mark, and maybe in order. */
interface SetEntry {
  kind: "set";
  mark: RunChangeMark;
  n: number;
  bits: Uint8Array;
  order: MatchOrder | null;
}

interface Cache {
  entries: Map<string, TokenEntry | SetEntry>;
  /** Rows of every order held. */
  ordered: number;
  /** Counts under way, by key: a search under the same token waits for the count under way. */
  counting: ReadsUnderWay<number>;
  /** Reads of every match under way, by query, under their mark: searches at once share one. */
  matching: ReadsUnderWay<SetEntry>;
  /** Queries whose matches are being read behind a search (see {@link readMatchesBehind}). */
  behind: Set<string>;
}

const caches = new WeakMap<object, Cache>();

function cacheOf(ctx: SqlContext): Cache {
  let cache = caches.get(ctx.db);
  if (!cache) {
    cache = { entries: new Map(), ordered: 0, counting: new Map(), matching: new Map(), behind: new Set() };
    caches.set(ctx.db, cache);
  }
  return cache;
}

function remember(cache: Cache, digest: string, entry: TokenEntry | SetEntry) {
  const old = cache.entries.get(digest);
  if (old?.kind === "set" && old.order && old !== entry) cache.ordered -= old.order.length;
  if (cache.entries.size >= MAX_ENTRIES && !cache.entries.has(digest)) {
    const [oldest] = cache.entries.values();
    if (oldest?.kind === "set" && oldest.order) cache.ordered -= oldest.order.length;
  }
  setBounded(cache.entries, digest, entry, MAX_ENTRIES);
}

/** Drops the orders of the least recently searched queries until the held rows fit the budget. */
function fitBudget(cache: Cache, keep: SetEntry) {
  for (const e of cache.entries.values()) {
    if (cache.ordered <= ORDER_BUDGET) return;
    if (e.kind !== "set" || !e.order || e === keep) continue;
    cache.ordered -= e.order.length;
    e.order = null;
  }
  if (cache.ordered > ORDER_BUDGET && keep.order) {
    cache.ordered -= keep.order.length;
    keep.order = null;
  }
}

function hasBit(bits: Uint8Array, i: number): boolean {
  return ((bits[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
}

function setBit(e: SetEntry, i: number, on: boolean) {
  if (i >> 3 >= e.bits.length) {
    const grown = new Uint8Array(Math.max((i >> 3) + 1, e.bits.length * 2));
    grown.set(e.bits);
    e.bits = grown;
  }
  e.bits[i >> 3] = on ? e.bits[i >> 3]! | (1 << (i & 7)) : e.bits[i >> 3]! & ~(1 << (i & 7));
}

/** What {@link countMatches} counts: the count query, and (for runs) the query of matching keys. */
export interface MatchQuery {
  /** `select count(*) as n ...` of every match. */
  count: RawBuilder<unknown>;
  /**
   * `select <owner>.id as id, ...` of the matches, restricted by `extra` when given; runs only.
   * With `order`, it also selects `tie0` and the sort's key columns, in the sort's order when
   * `extra` is null, so that the matches are kept in order too.
   */
  ids?: (extra: RawBuilder<SqlBool> | null) => RawBuilder<unknown>;
  /** The order of the rows `ids` selects (see match-order.ts). */
  order?: (names: readonly string[]) => RowCompare;
}

/** The count of a query's matches, and all of them in order when the store keeps it. */
export interface Matches {
  n: number;
  order: MatchOrder | null;
  /** The change feed's mark the matches are up to date with (when there is a feed). */
  mark?: RunChangeMark;
}

/**
 * The matches of a query: their number, and (runs, with `order`) all of them in the sort's
 * order, so that a page is a slice. Runs: the set of matching runs (and their order) is kept
 * per query and brought up to date by re-testing only the runs changed since, by this
 * connection or another (a write before a search costs one small query, not a recount; see
 * {@link RunChangeFeed}). Rows, or stores without a change feed: the count is kept under the
 * change `token` the search read first (see {@link SqlContext.changeToken}) until the database
 * changes at all, and there is no order.
 *
 * @example
 * const { n, order } = await countMatches(ctx, digest, { count, ids: (extra) => idsQuery(extra) });
 */
export async function countMatches(
  ctx: SqlContext,
  digest: string,
  q: MatchQuery,
  token: string | null = null,
): Promise<Matches> {
  const feed = ctx.runChanges;
  if (!feed || !q.ids) return { n: await countByToken(ctx, q.count, token), order: null };
  const ids = q.ids;
  const cache = cacheOf(ctx);
  const mark = await feed.mark();
  const hit = cache.entries.get(digest);
  // An order is kept for queries with a sort, unless their matches are too many for the budget.
  // (No match read yet gives no column names to order by on some drivers: such an entry is
  // followed too, without an order, until a search reads its matches again.)
  if (hit?.kind === "set" && (hit.order || !q.order || hit.n > ORDER_BUDGET || hit.n === 0)) {
    const changed = await feed.changedSince(hit.mark, mark, MAX_CHANGED);
    if (changed) {
      const dropped = new Set<number>();
      const fresh: OrderRow[] = [];
      for (let i = 0; i < changed.length; i += CHUNK) {
        const part = changed.slice(i, i + CHUNK);
        const rows = (await selectRows(ctx, ids(sql<SqlBool>`r.id in (${sql.join(part)})`).compile(ctx.db)))
          .rows;
        const now = new Set(rows.map((r) => Number(r[0])));
        for (const pk of part) {
          const was = hasBit(hit.bits, pk);
          if (was) dropped.add(pk);
          const is = now.has(pk);
          if (was !== is) {
            hit.n += is ? 1 : -1;
            setBit(hit, pk, is);
          }
        }
        fresh.push(...rows);
      }
      if (hit.order) {
        const before = hit.order.length;
        refreshOrder(hit.order, dropped, fresh);
        cache.ordered += hit.order.length - before;
      }
      hit.mark = mark;
      remember(cache, digest, hit); // the most recently searched
      fitBudget(cache, hit);
      return { n: hit.n, order: hit.order, mark };
    }
  }
  const entry = await readOnce(cache.matching, digest, markKey(mark), async () => {
    const query = ids(null).compile(ctx.db);
    const all = ctx.selectAll ? await ctx.selectAll(query) : await selectRows(ctx, query);
    const read: SetEntry = { kind: "set", mark, n: all.rows.length, bits: new Uint8Array(1024), order: null };
    for (const r of all.rows) setBit(read, Number(r[0]), true);
    if (q.order && all.rows.length <= ORDER_BUDGET && all.names.length > 0) {
      read.order = orderOf(all.names, all.rows, q.order(all.names));
      cache.ordered += all.rows.length;
    }
    remember(cache, digest, read);
    fitBudget(cache, read);
    return read;
  });
  return { n: entry.n, order: entry.order, mark };
}

/** Whether the matches of a query are kept, to be followed through the change feed. */
export function keepsMatches(ctx: SqlContext, digest: string): boolean {
  return caches.get(ctx.db)?.entries.get(digest)?.kind === "set";
}

/**
 * Reads the matches of a query (see {@link countMatches}) without waiting for them: a store whose
 * connections answer at once (a pool) serves a query's first search by its page and count, as
 * fast as without a feed, and keeps its matches for the searches after it. One read per query at
 * a time; a failed read is dropped (the next search reads them itself).
 *
 * @example
 * readMatchesBehind(ctx, digest, matchQuery); // the next search of it follows them through the feed
 */
export function readMatchesBehind(ctx: SqlContext, digest: string, q: MatchQuery): void {
  const cache = cacheOf(ctx);
  // A search that chose to answer by its page and count may end after the matches were read.
  if (cache.behind.has(digest) || keepsMatches(ctx, digest)) return;
  cache.behind.add(digest);
  countMatches(ctx, digest, q)
    .catch(() => undefined)
    .finally(() => cache.behind.delete(digest));
}

/**
 * A select's rows as arrays (no object per row when the driver can), with the column names.
 *
 * @example
 * const { names, rows } = await selectRows(ctx, query.compile(ctx.db));
 */
export async function selectRows(
  ctx: SqlContext,
  q: CompiledQuery,
): Promise<{ names: string[]; rows: OrderRow[] }> {
  if (ctx.selectArrays) return ctx.selectArrays(q);
  return rowArrays((await ctx.db.executeQuery<Record<string, unknown>>(q)).rows);
}

/**
 * A change-feed mark as text: two marks are the same place in the database exactly when their
 * texts are equal.
 *
 * @example
 * markKey({ seq: 3, floor: 0, top: 10, through: 10 }); // "3:10:10:"
 */
export function markKey(mark: RunChangeMark): string {
  return `${mark.seq}:${mark.top}:${mark.through}:${mark.snapshot ?? ""}`;
}

/**
 * The count, kept by the count query's text and bound values (every input of the count, those
 * read before the token included: a run's key, score thresholds) under the change token the
 * search read before it sent anything (see {@link SqlContext.changeToken}); searches under the
 * same token while it is being counted wait for that one count.
 */
async function countByToken(
  ctx: SqlContext,
  query: RawBuilder<unknown>,
  token: string | null,
): Promise<number> {
  const compiled = query.compile(ctx.db);
  const count = async () => Number((await ctx.db.executeQuery<{ n: number }>(compiled)).rows[0]?.n ?? 0);
  const key = token === null ? null : queryKey(compiled);
  if (key === null || token === null) return count();
  const cache = cacheOf(ctx);
  const hit = cache.entries.get(key);
  if (hit?.kind === "token" && hit.token === token) {
    remember(cache, key, hit); // the most recently searched
    return hit.n;
  }
  return readOnce(cache.counting, key, token, async () => {
    const n = await count();
    remember(cache, key, { kind: "token", token, n });
    return n;
  });
}
