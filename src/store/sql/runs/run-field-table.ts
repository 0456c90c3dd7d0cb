import { type Kysely, sql } from "kysely";
import { decodeJson, type JsonValue } from "../../../core/codec.js";
import { invalid } from "../../../core/errors.js";
import type { SqlContext } from "../context.js";
import { paramsIndexed, syncRunIndex } from "./run-index.js";

// biome-ignore lint/suspicious/noExplicitAny: joins with aliases made at run time.
type Loose = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: the join builder of an alias made at run time.
type AnyJoin = any;

/** Run field paths that group runs, and where each one is read. */
const COLUMNS: Record<string, string> = {
  run_id: "run_id",
  name: "name",
  status: "status",
  experiment: "experiment",
  version: "experiment_version",
};
const LEAF_TABLES = { params: "run_params", tags: "run_tags", derived: "run_derived" } as const;

/** Checks a run field path usable in `groupBy`; errors name the path and what is allowed. */
export function checkRunGroupPath(path: string): void {
  if (typeof path === "string" && path in COLUMNS) return;
  const m = /^(params|tags|derived)\.(.+)$/.exec(String(path));
  if (m) return;
  throw invalid(
    "groupBy",
    "must be a run field: run_id, name, status, experiment, version, params.<path>, tags.<key>, derived.<name>",
    path,
  );
}

export interface RunFieldTable {
  runPks: number[];
  /** One key tuple per run (values of the `groupBy` paths). */
  keys: JsonValue[][];
  /** Per metric: its value per run (NaN kept) and whether the run has it. */
  values: Float64Array[];
  present: Uint8Array[];
}

/**
 * Reads, for the runs of the workspace (optionally of one experiment), the group keys and
 * the summary value of each metric, in one query: run_metrics and run_params rows are
 * reached by their clustered primary keys.
 */
export async function readRunFieldTable(
  ctx: SqlContext,
  options: { experiment?: { name: string; version?: string }; metrics: string[]; groupBy: string[] },
): Promise<RunFieldTable> {
  const db = ctx.db as Loose;
  let q = db
    .selectFrom("runs as r")
    .select(["r.id as pk", "r.experiment_name as en"])
    .where("r.workspace", "=", ctx.workspace);
  if (options.groupBy.some((path) => path.startsWith("params."))) {
    await syncRunIndex(ctx);
    q = q.where(paramsIndexed(ctx.dialect, sql.ref("r.id")));
  }
  const exp = options.experiment;
  if (exp) q = q.where("r.experiment_name", "=", exp.name);
  if (exp?.version) q = q.where("r.experiment_version", "=", exp.version);
  options.groupBy.forEach((path, i) => {
    const column = COLUMNS[path];
    if (column === "experiment") q = q.select(["r.experiment_version as ev"]);
    else if (column) q = q.select([`r.${column} as g${i}`]);
    else {
      const [prefix, ...rest] = path.split(".");
      const table = LEAF_TABLES[prefix as keyof typeof LEAF_TABLES];
      const keyColumn = prefix === "params" ? "path" : prefix === "tags" ? "key" : "name";
      const a = `g${i}`;
      q = q.leftJoin(`${table} as ${a}`, (j: AnyJoin) =>
        j.onRef(`${a}.run_pk`, "=", "r.id").on(`${a}.${keyColumn}`, "=", rest.join(".")),
      );
      q =
        prefix === "tags"
          ? q.select([`${a}.value as ${a}_text`])
          : q.select([`${a}.type as ${a}_type`, `${a}.num as ${a}_num`, `${a}.text as ${a}_text`]);
      if (prefix === "derived") q = q.select([`${a}.value as ${a}_json`]);
    }
  });
  options.metrics.forEach((name, i) => {
    const a = `m${i}`;
    q = q
      .leftJoin(`run_metrics as ${a}`, (j: AnyJoin) =>
        j.onRef(`${a}.run_pk`, "=", "r.id").on(`${a}.name`, "=", name),
      )
      .select([`${a}.value as ${a}_v`, `${a}.nan as ${a}_nan`, `${a}.run_pk as ${a}_pk`]);
  });
  const rows = (await q.execute()) as Record<string, unknown>[];
  const n = rows.length;
  const table: RunFieldTable = {
    runPks: new Array(n),
    keys: new Array(n),
    values: options.metrics.map(() => new Float64Array(n)),
    present: options.metrics.map(() => new Uint8Array(n)),
  };
  // Column names computed once, not per row.
  const readers = options.groupBy.map((path, i) => keyReader(path, `g${i}`));
  const metricColumns = options.metrics.map((_, i) => [`m${i}_pk`, `m${i}_nan`, `m${i}_v`] as const);
  for (let k = 0; k < n; k++) {
    const r = rows[k]!;
    table.runPks[k] = Number(r.pk);
    table.keys[k] = readers.map((read) => read(r));
    for (let i = 0; i < metricColumns.length; i++) {
      const [pk, nan, v] = metricColumns[i]!;
      if (r[pk] === null) continue;
      table.present[i]![k] = 1;
      table.values[i]![k] = Number(r[nan]) ? Number.NaN : Number(r[v]);
    }
  }
  return table;
}

type KeyReader = (r: Record<string, unknown>) => JsonValue;

function keyReader(path: string, a: string): KeyReader {
  if (path === "experiment") return (r) => `${r.en}:${r.ev}`;
  if (path in COLUMNS) return (r) => (r[a] as JsonValue) ?? null;
  const text = `${a}_text`;
  if (path.startsWith("tags.")) return (r) => (r[text] as string | null) ?? null;
  const [type, num, json] = [`${a}_type`, `${a}_num`, `${a}_json`];
  return (r) => keyValue(path, r[type] as string | null, r[num], r[text], r[json]);
}

function keyValue(path: string, type: string | null, num: unknown, text: unknown, json: unknown): JsonValue {
  if (type === null || type === "null") return null;
  if (type === "number") return num === null ? Number.NaN : Number(num);
  if (type === "boolean") return Number(num) === 1;
  if (type === "string") return text as string;
  if (path.startsWith("derived.")) return decodeJson<JsonValue>(json as string);
  return JSON.parse(text as string) as JsonValue;
}
