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
import type { Bool } from "./dialect.js";
import { impliedNumeric, type MetricRange, metricRanges, withoutRange } from "./implied.js";
import { countMatches } from "./match-count.js";
import { type CursorState, decodeCursor, encodeCursor } from "./paging.js";
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

/** Compiled filters and sorts by query digest (runs; rows carry thresholds read per search). */
const compiledQueries = new Map<string, { where: Bool; plan: SortPlan }>();

function compiled(
  q: OrderedPageInput,
  env: SourceEnv & { scope: QueryScope },
  range: MetricRange | undefined,
) {
  const key =
    q.thresholds === undefined
      ? `${env.dialect.name}|${q.scope}|${q.digest}|${env.metricIndex ? 1 : 0}`
      : null;
  const hit = key === null ? undefined : compiledQueries.get(key);
  if (hit) return hit;
  const made = {
    where: compileFilter(range ? withoutRange(q.filter!, range) : q.filter, env),
    plan: compileSort(q.sort, env, q.scope, impliedNumeric(q.filter)),
  };
  if (key !== null) setBounded(compiledQueries, key, made, 500);
  return made;
}

/**
 * One page of owner keys (`runs.id` or `run_rows.id`) matching a filter, in the sort's order:
 * by offset, or after a keyset cursor, with the count of every match when asked.
 *
 * @example
 * const { ids, total, nextCursor } = await orderedPage(ctx, { scope: "runs", base, filter, sort, page: 1, pageSize: 100, digest, totals: true });
 */
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
  const { where, plan } = compiled(q, env, range);
  const table = q.scope === "runs" ? sql`runs as r` : sql`run_rows as w`;
  const tieCols = q.scope === "runs" ? sql`r.run_id as tie0` : sql`w.datapoint_id as tie0, w.trial as tie1`;
  let state: CursorState | undefined;
  // A param sort reads leaves too: runs without theirs yet are left out (see paramsIndexed).
  let conds: Bool[] = onParams
    ? [q.base, where, paramsIndexed(ctx.dialect, sql.ref("r.id"))]
    : [q.base, where];
  if (q.cursor !== undefined) {
    state = decodeCursor(q.cursor, q.digest);
    conds = [...conds, afterCursor(plan, state.keys, state.tie, q.scope, ctx.dialect)];
  }
  const page = state ? state.page : q.page;
  const offset = state ? 0 : (page - 1) * q.pageSize;
  const select = [sql.ref(`${owner}.id`), tieCols, ...plan.select, ...(q.columns ?? [])];
  const sortAlias = range ? q.sort.findIndex((k) => k.field === range.field && k.ref.kind === "metric") : -1;
  const driveAlias = sortAlias >= 0 && plan.keys[sortAlias]?.plain ? `s${sortAlias}` : "d";
  const driveJoin = range
    ? sql`join run_metrics as ${sql.ref(driveAlias)} on ${sql.ref(`${driveAlias}.run_pk`)} = r.id and ${sql.ref(`${driveAlias}.name`)} = ${range.name}${metricIndexed(driveAlias, env)}`
    : undefined;
  const driveConds = range
    ? range.conds.map((c) => sql<SqlBool>`${sql.ref(`${driveAlias}.value`)} ${RANGE_OPS[c.op]} ${c.value}`)
    : [];
  if (driveConds.length) conds = [...conds, ...driveConds];
  const joins = driveJoin && driveAlias === "d" ? [...plan.joins, driveJoin] : plan.joins;
  return {
    table,
    select,
    joins,
    conds,
    plan,
    page,
    offset,
    state,
    metricIndex,
    where,
    driveJoin,
    driveConds,
  };
}

export async function orderedPage(ctx: SqlContext, q: OrderedPageInput): Promise<OrderedPage> {
  const {
    table,
    select,
    joins,
    conds,
    plan,
    page,
    offset,
    state,
    metricIndex,
    where,
    driveJoin,
    driveConds,
  } = await orderedSelect(ctx, q);
  const pageSql = () =>
    sql<
      Record<string, unknown>
    >`select ${sql.join(select)} from ${table} ${sql.join(joins, sql` `)} where ${sql.join(conds, sql` and `)} order by ${sql.join(plan.order)} limit ${q.pageSize} offset ${offset}`;
  const key =
    state === undefined && q.thresholds === undefined
      ? `${q.scope}|${q.digest}|${page}|${q.pageSize}|${metricIndex ? 1 : 0}|${columnsId(q.columns)}`
      : null;
  // The page and the count go out together: a pool of connections answers both at once.
  const rowsRead = selectRows(ctx, compiledPage(ctx, key, pageSql));
  const countWhere = sql.join([q.base, where, ...driveConds.map((c) => c)], sql` and `);
  const countFrom = driveJoin ?? sql``;
  const counted = q.totals
    ? countMatches(ctx, q.digest, {
        count: sql`select count(*) as n from ${table} ${countFrom} where ${countWhere}`,
        ids:
          q.scope === "runs"
            ? (extra) =>
                sql<{
                  id: number;
                }>`select r.id as id from ${table} ${countFrom} where ${countWhere}${extra ? sql` and ${extra}` : sql``}`
            : undefined,
      })
    : null;
  const [rows, total] = await Promise.all([rowsRead, counted]);
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
