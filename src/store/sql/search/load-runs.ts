import { type RawBuilder, type Selectable, sql } from "kysely";
import type { JsonValue } from "../../../core/codec.js";
import { decodeJson, setOwn } from "../../../core/codec.js";
import { invalid } from "../../../core/errors.js";
import type { MetricSeries } from "../../../core/types.js";
import type { RunFieldSelection, SearchRun } from "../../search-methods.js";
import type { SqlContext } from "../context.js";
import { RUN_COLUMNS } from "../runs/runs-create.js";
import { runColumns } from "../runs/runs-read.js";
import type { RunsTable } from "../schema.js";
import { chunks, readNumber } from "../shared/encode.js";
import { quickDecodeJson } from "../shared/quick-decode.js";
import type { Dialect } from "./dialect.js";

/** Which parts a search loads: `true` for all names, a set for some, `false` for none. */
export interface FieldPlan {
  params: boolean;
  metrics: boolean | Set<string>;
  derived: boolean | Set<string>;
  series: boolean | Set<string>;
}

const DEFAULT_FIELDS: readonly RunFieldSelection[] = ["params", "metrics", "derived"];

/**
 * Reads a `fields` selection; `INVALID_ARGUMENT` names an unknown entry.
 *
 * @example
 * fieldPlan(["metrics.acc"]); // { params: false, metrics: Set { "acc" }, derived: false, series: false }
 */
export function fieldPlan(fields: readonly string[] | undefined): FieldPlan {
  const plan: FieldPlan = { params: false, metrics: false, derived: false, series: false };
  const list = fields ?? DEFAULT_FIELDS;
  if (!Array.isArray(list)) throw invalid("fields", 'must be a list such as ["params", "metrics.acc"]', list);
  (list as unknown[]).forEach((f, i) => {
    if (f === "params") plan.params = true;
    else if (f === "metrics" || f === "derived" || f === "series") plan[f] = true;
    else {
      const m = typeof f === "string" ? /^(metrics|derived|series)\.(.+)$/.exec(f) : null;
      if (!m)
        throw invalid(
          `fields[${i}]`,
          "must be params, metrics, derived, series, or metrics.<name>, derived.<name>, series.<name>",
          f,
        );
      const part = m[1] as "metrics" | "derived" | "series";
      const cur = plan[part];
      if (cur === true) return;
      plan[part] = cur === false ? new Set([m[2]!]) : cur.add(m[2]!);
    }
  });
  return plan;
}

type Named = { run_pk: number; name: string };

async function childRows<T extends Named>(
  ctx: SqlContext,
  table: "run_metrics" | "run_derived" | "metric_series",
  cols: string[],
  ids: number[],
  names: boolean | Set<string>,
): Promise<T[]> {
  if (names === false || ids.length === 0) return [];
  const out: T[] = [];
  for (const part of chunks(ids, 900)) {
    let q = ctx.db
      .selectFrom(table)
      .select(["run_pk", "name", ...cols] as never[])
      .where("run_pk", "in", part);
    if (names !== true) q = q.where("name", "in", [...names]);
    if (table === "metric_series") q = q.orderBy("run_pk").orderBy("name").orderBy("step").orderBy("ts");
    out.push(...((await q.execute()) as unknown as T[]));
  }
  return out;
}

function group<T extends Named, V>(rows: T[], value: (r: T) => V): Map<number, Record<string, V>> {
  const m = new Map<number, Record<string, V>>();
  for (const r of rows) {
    const k = Number(r.run_pk);
    const rec = m.get(k) ?? {};
    setOwn(rec, r.name, value(r));
    m.set(k, rec);
  }
  return m;
}

/** A `runs` row as a search reads it: params only when asked, metrics and derived values parsed. */
type RunCols = Omit<Selectable<RunsTable>, "workspace" | "params"> & {
  params?: string;
  metrics_?: Record<string, number>;
  derived_?: Record<string, JsonValue>;
};

/** The columns of a run record: those the store writes, less the workspace and the params. */
const BASE = ["id", ...RUN_COLUMNS.filter((c) => c !== "workspace" && c !== "params")] as (keyof RunCols &
  keyof RunsTable)[];

/**
 * The `runs` columns a plan reads (params only when asked).
 *
 * @example
 * runColumnNames(fieldPlan([])); // no "params"
 */
export function runColumnNames(plan: FieldPlan): string[] {
  return plan.params ? [...BASE, "params"] : [...BASE];
}

/** What compiles SQL: a store's `Kysely` instance. */
type Compiler = Parameters<RawBuilder<unknown>["compile"]>[0];

/**
 * The same columns as SQL over the alias `r`, to select with a search page. Given the
 * store's `db`, columns without bound values come as one piece of SQL text compiled once
 * (the page query then compiles one node for them instead of a few hundred per search).
 *
 * @example
 * runColumnsSql(fieldPlan(undefined), sqliteDialect);
 */
export function runColumnsSql(plan: FieldPlan, d: Dialect, db?: Compiler): RawBuilder<unknown>[] {
  // Plans naming no single metric or derived value (the usual ones) share their columns.
  const key =
    typeof plan.metrics === "boolean" && typeof plan.derived === "boolean"
      ? `${d.name}|${plan.params}|${plan.metrics}|${plan.derived}`
      : null;
  if (key === null) return buildColumnsSql(plan, d);
  let cols = columnsSql.get(key);
  if (!cols) {
    cols = buildColumnsSql(plan, d);
    columnsSql.set(key, cols);
  }
  if (db === undefined) return cols;
  let texts = compiledColumns.get(db);
  if (!texts) {
    texts = new Map();
    compiledColumns.set(db, texts);
  }
  let text = texts.get(key);
  if (!text) {
    const compiled = sql.join(cols).compile(db);
    text = compiled.parameters.length === 0 ? [sql.raw(compiled.sql)] : cols;
    texts.set(key, text);
  }
  return text;
}

const columnsSql = new Map<string, RawBuilder<unknown>[]>();
const compiledColumns = new WeakMap<object, Map<string, RawBuilder<unknown>[]>>();

function buildColumnsSql(plan: FieldPlan, d: Dialect): RawBuilder<unknown>[] {
  const cols: RawBuilder<unknown>[] = runColumnNames(plan)
    .filter((c) => c !== "id")
    .map((c) => sql.ref(`r.${c}`));
  const only = (names: boolean | Set<string>) =>
    names === true ? sql`` : sql` and c.name in (${sql.join([...(names as Set<string>)])})`;
  if (plan.metrics !== false) {
    // Non-finite numbers travel as strings: JSON has no spelling for them.
    const v = sql`case when c.nan = 1 then 'NaN' when c.value > 1.7976931348623157e308 then 'Infinity' when c.value < -1.7976931348623157e308 then '-Infinity' else c.value end`;
    cols.push(
      sql`(select ${d.jsonObjectAgg(sql`c.name`, v)} from run_metrics as c where c.run_pk = r.id${only(plan.metrics)}) as metrics_json_`,
    );
  }
  if (plan.derived !== false) {
    cols.push(
      sql`(select ${d.jsonObjectAgg(sql`c.name`, sql`c.value`)} from run_derived as c where c.run_pk = r.id${only(plan.derived)}) as derived_json_`,
    );
  }
  return cols;
}

// The parsed object is filled in place (no second object per run); a `__proto__` name, which an
// assignment into a fresh object would treat as the prototype, takes the copying path as before.
function parseMetrics(text: string | null): Record<string, number> {
  if (!text || text === "{}") return {};
  const parsed = JSON.parse(text) as Record<string, number | string>;
  if (Object.hasOwn(parsed, "__proto__")) {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(parsed)) setOwn(out, k, typeof v === "string" ? Number(v) : v);
    return out;
  }
  for (const k in parsed) {
    const v = parsed[k];
    if (typeof v === "string") parsed[k] = Number(v);
  }
  return parsed as Record<string, number>;
}

function parseDerived(text: string | null): Record<string, JsonValue> {
  if (!text || text === "{}") return {};
  const parsed = JSON.parse(text) as Record<string, JsonValue>;
  if (Object.hasOwn(parsed, "__proto__")) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(parsed)) setOwn(out, k, quickDecodeJson<JsonValue>(v as string));
    return out;
  }
  for (const k in parsed) parsed[k] = quickDecodeJson<JsonValue>(parsed[k] as string);
  return parsed;
}

/** No child values (inline parts, or parts not asked for). */
const NONE: ReadonlyMap<number, never> = new Map<number, never>();

/**
 * Loads runs by internal key, in the order given, with the parts a {@link FieldPlan} asks for
 * (params are not read, nor metrics, derived values or series, unless asked).
 *
 * @example
 * await loadRuns(store.ctx, [3, 1], fieldPlan([]));
 */
export async function loadRuns(
  ctx: SqlContext,
  ids: number[],
  plan: FieldPlan,
  fetched?: Record<string, unknown>[],
): Promise<SearchRun[]> {
  if (ids.length === 0) return [];
  const cols = runColumnNames(plan);
  const rows: RunCols[] = (fetched as RunCols[] | undefined) ?? [];
  if (!fetched) {
    for (const part of chunks(ids, 900)) {
      rows.push(
        ...((await ctx.db
          .selectFrom("runs")
          .select(cols as (typeof BASE)[number][])
          .where("id", "in", part)
          .execute()) as RunCols[]),
      );
    }
  }
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const inline =
    fetched !== undefined &&
    fetched.length > 0 &&
    ("metrics_json_" in fetched[0]! || "derived_json_" in fetched[0]!);
  if (inline) {
    for (const r of fetched as (RunCols & {
      metrics_json_?: string | null;
      derived_json_?: string | null;
    })[]) {
      if (plan.metrics !== false) r.metrics_ = parseMetrics(r.metrics_json_ ?? null);
      if (plan.derived !== false) r.derived_ = parseDerived(r.derived_json_ ?? null);
    }
  }
  // Inline parts were read with the page: no query (nor await) for them.
  const metrics =
    inline || plan.metrics === false
      ? NONE
      : group(
          await childRows<Named & { value: number | null; nan: number }>(
            ctx,
            "run_metrics",
            ["value", "nan"],
            ids,
            plan.metrics,
          ),
          (r) => readNumber(r.value, r.nan),
        );
  const derived =
    inline || plan.derived === false
      ? NONE
      : group(
          await childRows<Named & { value: string }>(ctx, "run_derived", ["value"], ids, plan.derived),
          (r) => decodeJson<JsonValue>(r.value),
        );
  const series = new Map<number, Record<string, MetricSeries>>();
  const points =
    plan.series === false
      ? []
      : await childRows<Named & { step: number; value: number | null; nan: number; ts: number }>(
          ctx,
          "metric_series",
          ["step", "value", "nan", "ts"],
          ids,
          plan.series,
        );
  for (const p of points) {
    const rec = series.get(Number(p.run_pk)) ?? {};
    const s = rec[p.name] ?? { steps: [], values: [], timestamps: [] };
    rec[p.name] = s;
    s.steps.push(Number(p.step));
    s.values.push(readNumber(p.value, p.nan));
    s.timestamps.push(Number(p.ts));
    series.set(Number(p.run_pk), rec);
  }
  const out: SearchRun[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (!r) continue;
    const run: SearchRun = runColumns(r);
    if (plan.params) run.params = quickDecodeJson(r.params ?? "{}");
    if (plan.metrics !== false) run.metrics = r.metrics_ ?? metrics.get(id) ?? {};
    if (plan.derived !== false) run.derived = r.derived_ ?? derived.get(id) ?? {};
    if (plan.series !== false) run.series = series.get(id) ?? {};
    out.push(run);
  }
  return out;
}
