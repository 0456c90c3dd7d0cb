import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { SqlContext } from "../context.js";
import { setBounded } from "../shared/bounded-map.js";

/** Runs changed since a count beyond which recounting beats re-testing them one by one. */
const MAX_CHANGED = 5_000;
/** Run keys per `in (...)` list when re-testing changed runs. */
const CHUNK = 500;
/** Queries whose counts are kept per database. */
const MAX_ENTRIES = 256;

interface TokenEntry {
  kind: "token";
  token: string;
  n: number;
}
/** The matching runs as a bit set over `runs.id`, as of a change mark. */
interface SetEntry {
  kind: "set";
  epoch: number;
  seq: number;
  n: number;
  bits: Uint8Array;
}

const caches = new WeakMap<object, Map<string, TokenEntry | SetEntry>>();

function cacheOf(ctx: SqlContext) {
  let cache = caches.get(ctx.db);
  if (!cache) {
    cache = new Map();
    caches.set(ctx.db, cache);
  }
  return cache;
}

function remember(ctx: SqlContext, digest: string, entry: TokenEntry | SetEntry) {
  setBounded(cacheOf(ctx), digest, entry, MAX_ENTRIES);
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
  /** `select <owner>.id as id ...` of the matches, restricted by `extra` when given; runs only. */
  ids?: (extra: RawBuilder<SqlBool> | null) => RawBuilder<{ id: number }>;
}

/**
 * The number of matches of a query. Runs: the set of matching runs is kept per query and
 * brought up to date by re-testing only the runs this connection changed since (a write
 * before a search costs one small query, not a recount); a commit by another connection
 * recounts. Rows, or stores without a change feed: the count is kept until the database
 * changes at all.
 *
 * @example
 * const n = await countMatches(ctx, digest, { count, ids: (extra) => idsQuery(extra) });
 */
export async function countMatches(ctx: SqlContext, digest: string, q: MatchQuery): Promise<number> {
  const feed = ctx.runChanges;
  if (!feed || !q.ids) return countByToken(ctx, digest, q.count);
  const ids = q.ids;
  const mark = await feed.mark();
  const hit = cacheOf(ctx).get(digest);
  if (hit?.kind === "set" && hit.epoch === mark.epoch) {
    if (hit.seq === mark.seq) return hit.n;
    const changed = await feed.changedSince(hit.seq, MAX_CHANGED);
    if (changed) {
      for (let i = 0; i < changed.length; i += CHUNK) {
        const part = changed.slice(i, i + CHUNK);
        const now = new Set(await matchIds(ctx, ids(sql<SqlBool>`r.id in (${sql.join(part)})`)));
        for (const pk of part) {
          const was = hasBit(hit.bits, pk);
          const is = now.has(pk);
          if (was !== is) {
            hit.n += is ? 1 : -1;
            setBit(hit, pk, is);
          }
        }
      }
      hit.seq = mark.seq;
      return hit.n;
    }
  }
  const all = await matchIds(ctx, ids(null));
  const entry: SetEntry = { kind: "set", epoch: mark.epoch, seq: mark.seq, n: 0, bits: new Uint8Array(1024) };
  for (const id of all) setBit(entry, id, true);
  entry.n = all.length;
  remember(ctx, digest, entry);
  return entry.n;
}

/** The keys a query of matching runs selects (as arrays when the driver can: no object per row). */
async function matchIds(ctx: SqlContext, q: RawBuilder<{ id: number }>): Promise<number[]> {
  if (ctx.selectArrays) return (await ctx.selectArrays(q.compile(ctx.db))).rows.map((r) => Number(r[0]));
  return (await q.execute(ctx.db)).rows.map((r) => Number(r.id));
}

async function countByToken(ctx: SqlContext, digest: string, query: RawBuilder<unknown>): Promise<number> {
  const token = ctx.changeToken ? await ctx.changeToken() : null;
  const hit = cacheOf(ctx).get(digest);
  if (token !== null && hit?.kind === "token" && hit.token === token) return hit.n;
  const { rows } = await (query as RawBuilder<{ n: number }>).execute(ctx.db);
  const n = Number(rows[0]?.n ?? 0);
  if (token !== null) remember(ctx, digest, { kind: "token", token, n });
  return n;
}
