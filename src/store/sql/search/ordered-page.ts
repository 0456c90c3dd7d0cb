import { type CompiledQuery, type RawBuilder, type SqlBool, sql } from "kysely";
import type { QueryNode, QueryScope } from "../../../query/ast.js";
import type { SortKey } from "../../../query/sort.js";
import type { MetricThreshold } from "../../../scores/definitions.js";
import type { SqlContext } from "../context.js";
import { paramsIndexed, syncRunIndex } from "../runs/run-index.js";
import { setBounded } from "../shared/bounded-map.js";
import { rowObjects } from "../shared/row-objects.js";
import { compileFilter } from "./compile-filter.js";
import { afterCursor, compileSort, keysAt, type SortPlan } from "./compile-sort.js";
import type { Bool, Sql } from "./dialect.js";
import { impliedNumeric, type MetricRange, metricRanges, withoutRange } from "./implied.js";
import { keptPage } from "./kept-pages.js";
import { countMatches, keepsMatches, type MatchQuery, readMatchesBehind } from "./match-count.js";
import { orderCompare } from "./match-order.js";
import { pageOfOrder } from "./order-page.js";
import { decodeCursor, encodeCursor } from "./paging.js";
import { refersToParams } from "./param-refs.js";
import { metricIndexed, type SourceEnv } from "./sources.js";

const RANGE_OPS = { eq: sql`=`, lt: sql`<`, lte: sql`<=`, gt: sql`>`, gte: sql`>=` };

export interface OrderedPageInput {
  scope: QueryScope;
  /** Restricts the owner table (workspace and experiment, or the run of rows). */
  base: Bool;
  filter: QueryNode | null;
  sort: SortKey[];
  page: number;
  pageSize: number;
  cursor?: string;
  /** Digest of filter, sort and base, that a cursor must carry. */
  digest: string;
  thresholds?: ReadonlyMap<string, MetricThreshold>;
  /** Count every match (pagination totals); iterators skip it. */
  totals: boolean;
  /** More columns of the owner to select with the page. */
  columns?: RawBuilder<unknown>[];
}

export interface OrderedPage {
  ids: number[];
  /** The selected rows (with the `columns` asked for), in order. */
  rows: Record<string, unknown>[];
  page: number;
  total: number | null;
  nextCursor: string | null;
}

/** The rows of a select, fetched as arrays when the driver can (no object per row in the driver). */
async function selectRows(ctx: SqlContext, q: CompiledQuery) {
  if (!ctx.selectArrays) return (await ctx.db.executeQuery<Record<string, unknown>>(q)).rows;
  const { names, rows } = await ctx.selectArrays(q);
  return rowObjects(names, rows);
}

/**
 * Page queries compiled, per database, by query digest, page, page size, index use and
 * selected columns (all that decides their text and values; keyset pages are not kept):
 * compiling one cost about a tenth of a served search.
 */
const pageQueries = new WeakMap<object, Map<string, CompiledQuery>>();
const columnIds = new WeakMap<object, number>();
let lastColumnsId = 0;

/** A number per selected-columns list (the usual ones are shared arrays: see runColumnsSql). */
function columnsId(columns: readonly unknown[] | undefined): number {
  if (columns === undefined) return 0;
  let id = columnIds.get(columns);
  if (id === undefined) {
    id = ++lastColumnsId;
    columnIds.set(columns, id);
  }
  return id;
}

function compiledPage(
  ctx: SqlContext,
  key: string | null,
  build: () => RawBuilder<Record<string, unknown>>,
): CompiledQuery {
  if (key === null) return build().compile(ctx.db);
  let cache = pageQueries.get(ctx.db);
  if (!cache) {
    cache = new Map();
    pageQueries.set(ctx.db, cache);
  }
  let hit = cache.get(key);
  if (!hit) {
    hit = build().compile(ctx.db);
    setBounded(cache, key, hit, 500);
  }
  return hit;
}

/** A filter and sort compiled: the whole filter, the filter less a driving range, the sort. */
interface Compiled {
  where: Bool;
  /** The filter without the comparisons of the metric range that drives a scan (= `where` without one). */
  rest: Bool;
  plan: SortPlan;
}

/** Compiled filters and sorts by query digest (runs; rows carry thresholds read per search). */
const compiledQueries = new Map<string, Compiled>();

function compiled(
  q: OrderedPageInput,
  env: SourceEnv & { scope: QueryScope },
  range: MetricRange | undefined,
): Compiled {
  const key =
    q.thresholds === undefined
      ? `${env.dialect.name}|${q.scope}|${q.digest}|${env.metricIndex ? 1 : 0}`
      : null;
  const hit = key === null ? undefined : compiledQueries.get(key);
  if (hit) return hit;
  const where = compileFilter(q.filter, env);
  const made = {
    where,
    rest: range ? compileFilter(withoutRange(q.filter!, range), env) : where,
    plan: compileSort(q.sort, env, q.scope, impliedNumeric(q.filter)),
  };
  if (key !== null) setBounded(compiledQueries, key, made, 500);
  return made;
}

/**
 * Run columns whose index gives the runs of a workspace in their order, ties by `run_id`
 * (migrations 1 and 4): a page sorted on one of them walks that index and stops after the page.
 */
const ORDERED_COLUMNS: ReadonlySet<string> = new Set(["created_at", "run_id"]);

/**
 * Whether a page is read along the index of its first sort key: a run column indexed in that
 * order. A metric range in the filter then stays a condition tested on each run walked, instead
 * of driving the scan (which reads every run of the range and sorts them all for one page).
 *
 * @example
 * walksSortIndex(parseSort(undefined)); // true: -created_at
 */
export function walksSortIndex(sort: readonly SortKey[]): boolean {
  const first = sort[0]?.ref;
  return first?.kind === "column" && ORDERED_COLUMNS.has(first.column);
}

/** The join of a metric range's values (over the value index when complete) and its conditions on them. */
function driveSql(range: MetricRange, alias: string, env: SourceEnv): { join: Sql; conds: Bool[] } {
  const a = sql.ref(alias);
  return {
    join: sql`join run_metrics as ${a} on ${sql.ref(`${alias}.run_pk`)} = r.id and ${sql.ref(`${alias}.name`)} = ${range.name}${metricIndexed(alias, env)}`,
    conds: range.conds.map((c) => sql<SqlBool>`${sql.ref(`${alias}.value`)} ${RANGE_OPS[c.op]} ${c.value}`),
  };
}

/** The parts of an ordered select of matching owners: everything but its paging. */
async function orderedSelect(ctx: SqlContext, q: OrderedPageInput) {
  const owner = q.scope === "runs" ? "r" : "w";
  // A top-level metric range drives the scan from the metric index: joined (on the sort key's
  // alias when the sort is on that metric), the range tested on the joined value instead.
  const range = q.scope === "runs" ? metricRanges(q.filter)[0] : undefined;
  const onMetricValues =
    range !== undefined || (q.scope === "runs" && q.sort.some((k) => k.ref.kind === "metric"));
  const onParams = q.scope === "runs" && q.sort.some((k) => k.ref.kind === "param");
  // One catch-up of the run index serves both: param leaves and metric values.
  const synced =
    onParams || onMetricValues || refersToParams(q.filter, q.scope) ? await syncRunIndex(ctx) : false;
  const metricIndex = onMetricValues && synced;
  const env = { dialect: ctx.dialect, scope: q.scope, owner, thresholds: q.thresholds, metricIndex } as const;
  const { where, rest, plan } = compiled(q, env, range);
  const table = q.scope === "runs" ? sql`runs as r` : sql`run_rows as w`;
  const tieCols = q.scope === "runs" ? sql`r.run_id as tie0` : sql`w.datapoint_id as tie0, w.trial as tie1`;
  // A param sort reads leaves too: runs without theirs yet are left out (see paramsIndexed).
  const indexed = onParams ? [paramsIndexed(ctx.dialect, sql.ref("r.id"))] : [];
  const state = q.cursor === undefined ? undefined : decodeCursor(q.cursor, q.digest);
  const page = state ? state.page : q.page;
  const offset = state ? 0 : (page - 1) * q.pageSize;
  // The range drives the page unless the sort's own index gives the order (see walksSortIndex).
  const pageRange = range && !walksSortIndex(q.sort) ? range : undefined;
  let conds: Bool[] = [q.base, pageRange ? rest : where, ...indexed];
  if (state) conds = [...conds, afterCursor(plan, state.keys, state.tie, q.scope, ctx.dialect)];
  const select = [sql.ref(`${owner}.id`), tieCols, ...plan.select, ...(q.columns ?? [])];
  const sortAlias = pageRange
    ? q.sort.findIndex((k) => k.field === pageRange.field && k.ref.kind === "metric")
    : -1;
  const driveAlias = sortAlias >= 0 && plan.keys[sortAlias]?.plain ? `s${sortAlias}` : "d";
  const pageDrive = pageRange ? driveSql(pageRange, driveAlias, env) : undefined;
  if (pageDrive) conds = [...conds, ...pageDrive.conds];
  const joins = pageDrive && driveAlias === "d" ? [...plan.joins, pageDrive.join] : plan.joins;
  // The count's query, and the query of the matches in order (runs: see countMatches). Without
  // a page drive, a count starts from the range (every match is in it); the matches kept in
  // order are read along the runs (their covering scope index, each condition one probe by run
  // key: a metric range driving instead reads a random runs row per run of the range).
  const countDrive = range ? driveSql(range, "d", env) : undefined;
  const countWhere = sql.join(
    [q.base, countDrive ? rest : where, ...indexed, ...(countDrive?.conds ?? [])],
    sql` and `,
  );
  const matchWhere = sql.join([q.base, where, ...indexed], sql` and `);
  const keyed = sql.join([sql.ref("r.id"), tieCols, ...plan.select]);
  const keyJoins = sql.join(plan.outerJoins, sql` `);
  const matchQuery: MatchQuery = {
    count: sql`select count(*) as n from ${table} ${countDrive?.join ?? sql``} where ${countWhere}`,
    ids:
      q.scope === "runs"
        ? (extra) =>
            extra
              ? sql`select ${keyed} from ${table} ${keyJoins} where ${matchWhere} and ${extra}`
              : sql`select ${keyed} from ${table} ${keyJoins} where ${matchWhere} order by ${sql.join(plan.order)}`
        : undefined,
    order: q.scope === "runs" ? (names) => orderCompare(names, plan) : undefined,
  };
  return { table, select, joins, conds, plan, page, offset, state, metricIndex, matchQuery };
}

/**
 * One page of owner keys (`runs.id` or `run_rows.id`) matching a filter, in the sort's order:
 * by offset, or after a keyset cursor, with the count of every match when asked.
 *
 * @example
 * const { ids, total, nextCursor } = await orderedPage(ctx, { scope: "runs", base, filter, sort, page: 1, pageSize: 100, digest, totals: true });
 */
export async function orderedPage(ctx: SqlContext, q: OrderedPageInput): Promise<OrderedPage> {
  const feed = q.totals && q.scope === "runs" ? ctx.runChanges : undefined;
  // PostgreSQL (a pool, whose feed records new runs) answers a query's first search by its page
  // and count at once, and reads its matches in order behind it for the searches after it.
  const behind = feed?.recordsNewRuns === true && !keepsMatches(ctx, q.digest);
  const onFeed = feed !== undefined && !behind;
  // Off the change feed, the page and the count are kept under the change token, read once,
  // before anything else of the search is sent (see SqlContext.changeToken and kept-pages.ts):
  // on stores without a feed, and on PostgreSQL's (whose token is the snapshot its marks are).
  const keepsPages =
    ctx.changeToken !== undefined &&
    !onFeed &&
    (ctx.runChanges === undefined || ctx.runChanges.recordsNewRuns === true);
  const token = ctx.changeToken && (keepsPages || (q.totals && !onFeed)) ? await ctx.changeToken() : null;
  const { table, select, joins, conds, plan, page, offset, state, metricIndex, matchQuery } =
    await orderedSelect(ctx, q);
  const pageSql = () =>
    sql<
      Record<string, unknown>
    >`select ${sql.join(select)} from ${table} ${sql.join(joins, sql` `)} where ${sql.join(conds, sql` and `)} order by ${sql.join(plan.order)} limit ${q.pageSize} offset ${offset}`;
  const key =
    state === undefined && q.thresholds === undefined
      ? `${q.scope}|${q.digest}|${page}|${q.pageSize}|${metricIndex ? 1 : 0}|${columnsId(q.columns)}`
      : null;
  const read = () => {
    const compiled = compiledPage(ctx, key, pageSql);
    return keepsPages && token !== null
      ? keptPage(ctx, compiled, token, () => selectRows(ctx, compiled))
      : selectRows(ctx, compiled);
  };
  let rows: Record<string, unknown>[];
  let total: number | null = null;
  if (onFeed) {
    // The count goes first: with a change feed it keeps every match in the sort's order, and
    // a page is then a slice of it.
    const matches = await countMatches(ctx, q.digest, matchQuery);
    if (matches.order) return pageOfOrder(ctx, q, matches.order, state, page, matches.mark);
    rows = await read();
    total = matches.n;
  } else {
    // The page and the count go out together: a pool of connections answers both at once.
    const [got, matches] = await Promise.all([
      read(),
      // The count alone (no matches to keep: those are read behind, below).
      q.totals ? countMatches(ctx, q.digest, { count: matchQuery.count }, token) : null,
    ]);
    rows = got;
    total = matches?.n ?? null;
    if (behind) readMatchesBehind(ctx, q.digest, matchQuery);
  }
  const last = rows[rows.length - 1];
  const seen = (page - 1) * q.pageSize + rows.length;
  const more = rows.length === q.pageSize && (total === null || seen < total);
  const nextCursor =
    more && last
      ? encodeCursor({
          query: q.digest,
          page: page + 1,
          keys: keysAt(last, q.sort.length),
          tie: q.scope === "runs" ? [String(last.tie0)] : [String(last.tie0), Number(last.tie1)],
        })
      : null;
  return { ids: rows.map((r) => Number(r.id)), rows, page, total, nextCursor };
}

/**
 * Every match after the cursor (all of them without one), in the sort's order, through the
 * database's server-side cursor, `size` rows at a time: one query however long the listing, with
 * one batch in memory. Only for stores whose connection streams (`ctx.stream`).
 *
 * @example
 * for await (const rows of streamOrdered(ctx, input, 1000)) console.log(rows.length);
 */
export async function* streamOrdered(
  ctx: SqlContext,
  q: OrderedPageInput,
  size: number,
): AsyncIterable<Record<string, unknown>[]> {
  if (!ctx.stream) throw new Error("streamOrdered: this store's connection does not stream");
  const { table, select, joins, conds, plan } = await orderedSelect(ctx, q);
  const query = sql<
    Record<string, unknown>
  >`select ${sql.join(select)} from ${table} ${sql.join(joins, sql` `)} where ${sql.join(conds, sql` and `)} order by ${sql.join(plan.order)}`;
  yield* ctx.stream<Record<string, unknown>>(query.compile(ctx.db), size);
}
