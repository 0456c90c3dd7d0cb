import { type SqlBool, sql } from "kysely";
import { checkOptions, type KnownKeys } from "../../../core/known-keys.js";
import type { FieldInfo } from "../../search-methods.js";
import type { SqlContext } from "../context.js";
import { syncRunIndex } from "../runs/run-index.js";
import type { Sql } from "./dialect.js";
import { runScope } from "./scope.js";

/** At most this many distinct values per field. */
export const CATALOG_VALUES = 100;

// Typed NULLs: a UNION resolves each column's type from its branches (PostgreSQL would read a
// bare NULL beside text as text, then refuse a number in a later branch).
const NULL_NUM = sql`cast(null as double precision)`;
const NULL_TEXT = sql`cast(null as text)`;

/** One source of fields: a child table (or the runs table itself) read as `(field, type, num, text)`. */
interface Part {
  /** A select of `run_pk, field, type, num, text` over runs `r` of the scope. */
  rows: Sql;
}

function typedChild(
  table: string,
  key: string,
  prefix: string,
  numType = sql`c.type`,
  num = sql`c.num`,
  text = sql`c.text`,
): Part {
  return {
    rows: sql`select c.run_pk as run_pk, ${prefix} || ${sql.ref(`c.${key}`)} as field, ${numType} as type, ${num} as num, ${text} as text from ${sql.table(table)} as c join runs as r on r.id = c.run_pk`,
  };
}

function column(name: string, expr: Sql, type: Sql): Part {
  return {
    rows: sql`select r.id as run_pk, ${name} as field, ${type} as type, ${expr} as num, ${NULL_TEXT} as text from runs as r`,
  };
}
function textColumn(name: string, expr: Sql): Part {
  return {
    rows: sql`select r.id as run_pk, ${name} as field, case when ${expr} is null then 'null' else 'string' end as type, ${NULL_NUM} as num, ${expr} as text from runs as r`,
  };
}
function timeColumn(name: string): Part {
  const c = sql.ref(`r.${name}`);
  return column(name, c, sql`case when ${c} is null then 'null' else 'number' end`);
}

const PARTS: Part[] = [
  textColumn("name", sql`r.name`),
  textColumn("status", sql`r.status`),
  textColumn("experiment", sql`r.experiment_name`),
  textColumn("version", sql`r.experiment_version`),
  timeColumn("created_at"),
  timeColumn("started_at"),
  timeColumn("finished_at"),
  timeColumn("duration_ms"),
  typedChild("run_params", "path", "params."),
  typedChild(
    "run_metrics",
    "name",
    "metrics.",
    sql`'number'`,
    sql`c.value`,
    sql`case when c.nan = 1 then 'NaN' end`,
  ),
  typedChild("run_derived", "name", "derived."),
  typedChild("run_tags", "key", "tags.", sql`'string'`, NULL_NUM, sql`c.value`),
  {
    rows: sql`select c.run_pk as run_pk, 'tags' as field, 'string' as type, ${NULL_NUM} as num, c.key as text from run_tags as c join runs as r on r.id = c.run_pk`,
  },
];

type Stat = {
  field: string;
  type: string;
  n: number;
  runs: number;
  nmin: number | null;
  nmax: number | null;
  tmin: string | null;
  tmax: string | null;
};
type Val = { field: string; type: string; num: number | null; text: string | null };

function catalogValue(v: Val): number | string | boolean | null {
  if (v.type === "null") return null;
  if (v.type === "boolean") return Number(v.num) === 1;
  if (v.type === "number") return v.num === null ? Number.NaN : Number(v.num);
  return v.text;
}

/**
 * Per field path of the runs of the workspace (optionally one experiment): the value types,
 * the number of runs having it, up to {@link CATALOG_VALUES} distinct values, min and max.
 * Params are leaves by dotted path; `tags` lists tag keys, `tags.<key>` their values.
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
  const all = sql`(${sql.join(
    PARTS.map((p) => sql`select * from (${p.rows} where ${scope}) as p`),
    sql` union all `,
  )})`;
  const stats = await sql<Stat>`select field, type, count(*) as n, count(distinct run_pk) as runs,
      min(case when type = 'number' then num end) as nmin, max(case when type = 'number' then num end) as nmax,
      min(case when type = 'string' then text end) as tmin, max(case when type = 'string' then text end) as tmax
    from ${all} as a group by field, type`.execute(ctx.db);
  const vals = await sql<Val>`select field, type, num, text from (
      select field, type, num, text, row_number() over (partition by field order by type, num, text) as rn
      from (select distinct field, type, num, text from ${all} as a where ${sql<SqlBool>`type not in ('array', 'object')`}) as d
    ) as v where rn <= ${CATALOG_VALUES + 1} order by field, type, num, text`.execute(ctx.db);
  const runsWith = await sql<{
    field: string;
    runs: number;
  }>`select field, count(distinct run_pk) as runs from ${all} as a group by field`.execute(ctx.db);
  const out = new Map<string, FieldInfo>();
  for (const r of runsWith.rows) {
    out.set(r.field, {
      field: r.field,
      types: [],
      count: Number(r.runs),
      values: [],
      valuesTruncated: false,
      min: null,
      max: null,
    });
  }
  for (const s of stats.rows) {
    const f = out.get(s.field)!;
    f.types.push(s.type);
    if (s.nmin !== null) {
      f.min = typeof f.min === "number" ? Math.min(f.min, Number(s.nmin)) : Number(s.nmin);
      f.max = typeof f.max === "number" ? Math.max(f.max, Number(s.nmax)) : Number(s.nmax);
    } else if (s.tmin !== null && typeof f.min !== "number") {
      f.min = s.tmin;
      f.max = s.tmax;
    }
  }
  for (const v of vals.rows) {
    const f = out.get(v.field)!;
    if (f.values.length >= CATALOG_VALUES) f.valuesTruncated = true;
    else f.values.push(catalogValue(v));
  }
  return [...out.values()].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}
