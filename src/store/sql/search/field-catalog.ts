import { sql } from "kysely";
import { checkOptions, type KnownKeys } from "../../../core/known-keys.js";
import { parseExperimentRef } from "../../../core/validate.js";
import type { FieldInfo } from "../../search-methods.js";
import type { SqlContext } from "../context.js";
import type { Bool } from "../dialects/types.js";
import { CATALOG_VALUES } from "../runs/field-summary.js";
import { syncRunIndex } from "../runs/run-index.js";
import { runScope } from "./scope.js";

export { CATALOG_VALUES };

type Figure = {
  field: string;
  type: string;
  n: unknown;
  nmin: unknown;
  nmax: unknown;
  tmin: unknown;
  tmax: unknown;
};

type Value = {
  experiment_name: string;
  experiment_version: string;
  field: string;
  sort_key: string;
  type: string;
  num: unknown;
  text: unknown;
};

function catalogValue(v: Value): number | string | boolean | null {
  if (v.type === "null") return null;
  if (v.type === "boolean") return Number(v.num) === 1;
  if (v.type === "number") return v.num === null ? Number.NaN : Number(v.num);
  return v.text as string | null;
}

const orNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A field's entry, its types, min and max from its per-type figures (numbers win over strings). */
function fieldOf(field: string, stats: Figure[]): FieldInfo {
  const f: FieldInfo = {
    field,
    types: [],
    count: 0,
    values: [],
    valuesTruncated: false,
    min: null,
    max: null,
  };
  for (const s of [...stats].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))) {
    f.types.push(s.type);
    f.count += Number(s.n);
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

/** The summaries of the workspace, optionally of one experiment (`name` or `name:version`). */
function summaryScope(ctx: SqlContext, experiment?: string): Bool {
  const ws = sql<boolean>`workspace = ${ctx.workspace}`;
  if (experiment === undefined) return ws;
  const exp = parseExperimentRef(experiment);
  if (exp.version === undefined) return sql<boolean>`(${ws} and experiment_name = ${exp.name})`;
  return sql<boolean>`(${ws} and experiment_name = ${exp.name} and experiment_version = ${exp.version})`;
}

/**
 * `status`, counted from the runs (it changes in every run's life): one grouped pass over the
 * runs' status index.
 */
async function statusField(ctx: SqlContext, experiment?: string): Promise<FieldInfo | null> {
  const { rows } = await sql<{ status: string; n: unknown }>`select r.status, count(*) as n from runs as r
    where ${runScope(ctx, experiment)} group by r.status order by ${ctx.dialect.binaryText(sql.ref("r.status"))}`.execute(
    ctx.db,
  );
  if (rows.length === 0) return null;
  return {
    field: "status",
    types: ["string"],
    count: rows.reduce((s, r) => s + Number(r.n), 0),
    values: rows.slice(0, CATALOG_VALUES).map((r) => r.status),
    valuesTruncated: rows.length > CATALOG_VALUES,
    min: rows[0]!.status,
    max: rows[rows.length - 1]!.status,
  };
}

/**
 * Per field path of the runs of the workspace (optionally one experiment): the value types,
 * the number of runs having it, up to {@link CATALOG_VALUES} distinct values (in order of type,
 * then number with NaN first, then text by code point), min and max. Params are leaves by dotted
 * path; `tags` lists tag keys, `tags.<key>` their values.
 *
 * Read from the field summaries kept with every write (migration 13, `applySummarySteps`): two
 * queries whose cost follows the number of fields and experiment versions, not of runs. Counts
 * and types are exact; after runs are deleted or values change, min and max may be wider than
 * the values held and the values may list some no run holds any more (see `applySummarySteps`).
 * On SQLite the run index adds new runs to the summaries first (`syncRunIndex`); a store that
 * cannot write leaves the runs it has not reached out of the catalog until a writer indexes them.
 *
 * @example
 * const fields = await fieldCatalog(store.ctx, { experiment: "sweep" });
 */
export async function fieldCatalog(
  ctx: SqlContext,
  options: { experiment?: string } = {},
): Promise<FieldInfo[]> {
  checkOptions(options, { experiment: true } satisfies KnownKeys<typeof options>, "fieldCatalog");
  await syncRunIndex(ctx); // runs the deferred run index has not reached are summarized by it
  const scope = summaryScope(ctx, options.experiment);
  const { rows: figures } = await sql<Figure>`select field, type, sum(runs) as n, min(num_min) as nmin,
      max(num_max) as nmax, min(text_min) as tmin, max(text_max) as tmax
    from field_summaries where ${scope} group by field, type having sum(runs) > 0`.execute(ctx.db);
  const byField = new Map<string, Figure[]>();
  for (const r of figures) {
    const list = byField.get(r.field) ?? [];
    list.push(r);
    byField.set(r.field, list);
  }
  const fields = new Map<string, FieldInfo>();
  for (const [field, stats] of byField) fields.set(field, fieldOf(field, stats));
  const { rows: values } =
    await sql<Value>`select experiment_name, experiment_version, field, sort_key, type, num, text
    from field_values where ${scope} order by field, sort_key`.execute(ctx.db);
  // A version whose list is full was cut: values of that field may be missing past its end.
  const kept = new Map<string, number>();
  for (const v of values) {
    const key = JSON.stringify([v.field, v.experiment_name, v.experiment_version]);
    const n = (kept.get(key) ?? 0) + 1;
    kept.set(key, n);
    const f = fields.get(v.field);
    if (f && n > CATALOG_VALUES) f.valuesTruncated = true;
  }
  let last = "";
  let lastField = "";
  for (const v of values) {
    const f = fields.get(v.field);
    // Values of a type no run of the scope holds any more are not listed.
    if (!f?.types.includes(v.type)) continue;
    if (v.field === lastField && v.sort_key === last) continue; // the same value in another version
    lastField = v.field;
    last = v.sort_key;
    if (f.values.length < CATALOG_VALUES) f.values.push(catalogValue(v));
    else f.valuesTruncated = true;
  }
  const status = await statusField(ctx, options.experiment);
  if (status) fields.set("status", status);
  return [...fields.values()].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}
