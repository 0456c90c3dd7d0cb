import { type SqlBool, sql } from "kysely";
import { checkOptions, type KnownKeys } from "../../../core/known-keys.js";
import type { FieldInfo } from "../../search-methods.js";
import type { SqlContext } from "../context.js";
import { syncRunIndex } from "../runs/run-index.js";
import type { Bool, Sql } from "./dialect.js";
import { runScope } from "./scope.js";

/** At most this many distinct values per field. */
export const CATALOG_VALUES = 100;

const NULL_NUM = sql`cast(null as double precision)`;
const NULL_TEXT = sql`cast(null as text)`;

/** A child table of runs read as fields `prefix + key` of `(type, num, text)` values. */
interface Child {
  table: string;
  key: string;
  prefix: string;
  type: Sql;
  num: Sql;
  text: Sql;
}

const CHILDREN: Child[] = [
  {
    table: "run_params",
    key: "path",
    prefix: "params.",
    type: sql`c.type`,
    num: sql`c.num`,
    text: sql`c.text`,
  },
  {
    table: "run_metrics",
    key: "name",
    prefix: "metrics.",
    type: sql`'number'`,
    num: sql`c.value`,
    text: sql`case when c.nan = 1 then 'NaN' end`,
  },
  {
    table: "run_derived",
    key: "name",
    prefix: "derived.",
    type: sql`c.type`,
    num: sql`c.num`,
    text: sql`c.text`,
  },
  { table: "run_tags", key: "key", prefix: "tags.", type: sql`'string'`, num: NULL_NUM, text: sql`c.value` },
];

/** A column of the runs table read as a field: text (`string`) or a time in ms (`number`). */
const RUN_COLUMNS: { field: string; column: string; type: "string" | "number" }[] = [
  { field: "name", column: "name", type: "string" },
  { field: "status", column: "status", type: "string" },
  { field: "experiment", column: "experiment_name", type: "string" },
  { field: "version", column: "experiment_version", type: "string" },
  { field: "created_at", column: "created_at", type: "number" },
  { field: "started_at", column: "started_at", type: "number" },
  { field: "finished_at", column: "finished_at", type: "number" },
  { field: "duration_ms", column: "duration_ms", type: "number" },
];

type Value = { type: string; num: unknown; text: unknown };

function catalogValue(v: Value): number | string | boolean | null {
  if (v.type === "null") return null;
  if (v.type === "boolean") return Number(v.num) === 1;
  if (v.type === "number") return v.num === null ? Number.NaN : Number(v.num);
  return v.text as string | null;
}

const orNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A field's entry, its types, min and max from its per-type figures (numbers win over strings). */
function fieldOf(
  field: string,
  count: number,
  stats: { type: string; nmin: unknown; nmax: unknown; tmin: unknown; tmax: unknown }[],
): FieldInfo {
  const f: FieldInfo = { field, types: [], count, values: [], valuesTruncated: false, min: null, max: null };
  for (const s of [...stats].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))) {
    f.types.push(s.type);
    const [nmin, nmax] = [orNull(s.nmin), orNull(s.nmax)];
    if (nmin !== null && nmax !== null) {
      f.min = typeof f.min === "number" ? Math.min(f.min, nmin) : nmin;
      f.max = typeof f.max === "number" ? Math.max(f.max, nmax) : nmax;
    } else if (s.tmin !== null && s.tmin !== undefined && typeof f.min !== "number") {
      f.min = s.tmin as string;
      f.max = s.tmax as string;
    }
  }
  return f;
}

/** The first {@link CATALOG_VALUES} distinct values of a field, in (type, number, text) order. */
async function valuesOf(ctx: SqlContext, f: FieldInfo, select: Sql): Promise<void> {
  const { rows } = await sql<Value>`${select} limit ${CATALOG_VALUES + 1}`.execute(ctx.db);
  f.valuesTruncated = rows.length > CATALOG_VALUES;
  f.values = rows.slice(0, CATALOG_VALUES).map(catalogValue);
}

/** The run columns: every run of the scope has each (`null` counts as a type). */
async function runColumns(ctx: SqlContext, scope: Bool): Promise<FieldInfo[]> {
  const figures = RUN_COLUMNS.map(({ column }, i) => {
    const c = sql.ref(`r.${column}`);
    return sql`count(${c}) as ${sql.ref(`n${i}`)}, min(${c}) as ${sql.ref(`lo${i}`)}, max(${c}) as ${sql.ref(`hi${i}`)}`;
  });
  const { rows } = await sql<Record<string, unknown>>`select count(*) as n, ${sql.join(figures)}
    from runs as r where ${scope}`.execute(ctx.db);
  const r = rows[0] ?? {};
  const runs = Number(r.n ?? 0);
  if (runs === 0) return [];
  const out: FieldInfo[] = [];
  for (const [i, col] of RUN_COLUMNS.entries()) {
    const having = Number(r[`n${i}`] ?? 0);
    const [lo, hi] = [r[`lo${i}`] ?? null, r[`hi${i}`] ?? null];
    const stats = [];
    if (having < runs) stats.push({ type: "null", nmin: null, nmax: null, tmin: null, tmax: null });
    if (having > 0) {
      stats.push(
        col.type === "number"
          ? { type: "number", nmin: lo, nmax: hi, tmin: null, tmax: null }
          : { type: "string", nmin: null, nmax: null, tmin: lo, tmax: hi },
      );
    }
    const f = fieldOf(col.field, runs, stats);
    const c = sql.ref(`r.${col.column}`);
    const num = col.type === "number" ? c : NULL_NUM;
    const text = col.type === "string" ? c : NULL_TEXT;
    // `null` sorts before `number` and `string`: the order of (type, value) is the column's, nulls first.
    await valuesOf(
      ctx,
      f,
      sql`select distinct case when ${c} is null then 'null' else ${col.type} end as type, ${num} as num,
        ${text} as text, ${c} as v from runs as r where ${scope} order by v asc nulls first`,
    );
    out.push(f);
  }
  return out;
}

type ChildStat = {
  k: string;
  type: string;
  n: unknown;
  nmin: unknown;
  nmax: unknown;
  tmin: unknown;
  tmax: unknown;
};

/**
 * A child table's fields: per key and type, the runs having it (a run has at most one value per
 * key) and min and max, in one grouped pass; then each field's first values, one bounded query each.
 */
async function childFields(ctx: SqlContext, scope: Bool, c: Child): Promise<FieldInfo[]> {
  const from = sql`${sql.table(c.table)} as c join runs as r on r.id = c.run_pk`;
  const key = sql.ref(`c.${c.key}`);
  const { rows } = await sql<ChildStat>`select ${key} as k, ${c.type} as type, count(*) as n,
      min(case when ${c.type} = 'number' then ${c.num} end) as nmin, max(case when ${c.type} = 'number' then ${c.num} end) as nmax,
      min(case when ${c.type} = 'string' then ${c.text} end) as tmin, max(case when ${c.type} = 'string' then ${c.text} end) as tmax
    from ${from} where ${scope} group by 1, 2`.execute(ctx.db);
  const byKey = new Map<string, ChildStat[]>();
  for (const r of rows) {
    const list = byKey.get(r.k) ?? [];
    list.push(r);
    byKey.set(r.k, list);
  }
  const out: FieldInfo[] = [];
  for (const [k, stats] of byKey) {
    const f = fieldOf(
      c.prefix + k,
      stats.reduce((s, r) => s + Number(r.n), 0),
      stats,
    );
    await valuesOf(
      ctx,
      f,
      sql`select distinct ${c.type} as type, ${c.num} as num, ${c.text} as text from ${from}
        where ${key} = ${k} and ${scope} and ${sql<SqlBool>`${c.type} not in ('array', 'object')`}
        order by type, num asc nulls first, text`,
    );
    out.push(f);
  }
  return out;
}

/** `tags`: the tag keys as values, counted by the runs having any tag. */
async function tagKeys(ctx: SqlContext, scope: Bool): Promise<FieldInfo[]> {
  const { rows } = await sql<{ n: unknown; lo: unknown; hi: unknown }>`select count(*) as n,
      (select min(c.key) from run_tags as c join runs as r on r.id = c.run_pk where ${scope}) as lo,
      (select max(c.key) from run_tags as c join runs as r on r.id = c.run_pk where ${scope}) as hi
    from runs as r where ${scope} and exists (select 1 from run_tags as t where t.run_pk = r.id)`.execute(
    ctx.db,
  );
  const runs = Number(rows[0]?.n ?? 0);
  if (runs === 0) return [];
  const f = fieldOf("tags", runs, [
    { type: "string", nmin: null, nmax: null, tmin: rows[0]!.lo, tmax: rows[0]!.hi },
  ]);
  await valuesOf(
    ctx,
    f,
    sql`select distinct 'string' as type, ${NULL_NUM} as num, c.key as text from run_tags as c
      join runs as r on r.id = c.run_pk where ${scope} order by text`,
  );
  return [f];
}

/**
 * Per field path of the runs of the workspace (optionally one experiment): the value types,
 * the number of runs having it, up to {@link CATALOG_VALUES} distinct values (in order of type,
 * then number with NaN first, then text by code point), min and max. Params are leaves by dotted
 * path; `tags` lists tag keys, `tags.<key>` their values.
 *
 * Computed in the database by short queries, none holding the connection for the whole catalog:
 * one pass over the runs of the scope for the run columns, one grouped pass per child table
 * (params, metrics, derived values, tags) for counts, types, min and max, and per field one
 * query of its first distinct values (stopped at {@link CATALOG_VALUES} + 1).
 *
 * @example
 * const fields = await fieldCatalog(store.ctx, { experiment: "sweep" });
 */
export async function fieldCatalog(
  ctx: SqlContext,
  options: { experiment?: string } = {},
): Promise<FieldInfo[]> {
  checkOptions(options, { experiment: true } satisfies KnownKeys<typeof options>, "fieldCatalog");
  await syncRunIndex(ctx); // params are listed from their leaves
  const scope = runScope(ctx, options.experiment);
  const out = [...(await runColumns(ctx, scope))];
  for (const c of CHILDREN) out.push(...(await childFields(ctx, scope, c)));
  out.push(...(await tagKeys(ctx, scope)));
  return out.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}
