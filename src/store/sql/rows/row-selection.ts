import { decodeJson, type JsonValue } from "../../../core/codec.js";
import { invalid } from "../../../core/errors.js";
import { GroupIndex } from "../../../scores/group-keys.js";
import type { QueryInput } from "../../../scores/types.js";
import type { SqlContext } from "../context.js";
import type { RowSelection } from "../scores/score-samples.js";
import { positionsIn } from "../scores/score-samples.js";
import { selectRowPks } from "../search/row-filter.js";
import { type RowIndex, readRowIndex } from "./row-index.js";
import { valueAt } from "./score-chunk-codec.js";
import { readScoreColumns } from "./score-columns-read.js";
import { ROWS_COLUMN } from "./score-columns-write.js";

export interface SelectionRequest {
  filter?: QueryInput;
  groupBy: string[];
  byDatapoint: boolean;
}

export interface Selection {
  sel: RowSelection;
  /** Group key tuples by group ordinal (ordinals follow key order). */
  keys: JsonValue[][];
  /** Row index the selection was cut from (datapoint ids by ordinal), when datapoints were read. */
  index?: RowIndex;
}

/** Checks a row field path usable in `groupBy`. */
export function checkRowGroupPath(path: string): void {
  if (path === "datapoint_id" || path === "trial" || /^(scores|item|output)\.[^.]/.test(path)) return;
  throw invalid(
    "groupBy",
    "must be a row field: datapoint_id, trial, scores.<name>, item.<path>, output.<path>",
    path,
  );
}

/**
 * The rows an aggregate covers, with group and datapoint ordinals: every row of the run
 * (or those matching `filter`), grouped by the `groupBy` paths. `null` when the request
 * needs no selection (every row, one group, no datapoint averaging): the fast path.
 */
export async function selectRows(
  ctx: SqlContext,
  runPk: number,
  req: SelectionRequest,
): Promise<Selection | null> {
  if (req.filter === undefined && req.groupBy.length === 0 && !req.byDatapoint) return null;
  req.groupBy.forEach(checkRowGroupPath);
  // Datapoints (ids and trials) are read only when the request needs them.
  const needIndex = req.byDatapoint || req.groupBy.some((p) => p === "datapoint_id" || p === "trial");
  let index: RowSelection & Partial<RowIndex>;
  if (needIndex) {
    const all = await readRowIndex(ctx, runPk);
    index = req.filter === undefined ? all : keepRows(all, await selectRowPks(ctx, runPk, req.filter));
  } else {
    const rowPks =
      req.filter === undefined ? await allRowPks(ctx, runPk) : await selectRowPks(ctx, runPk, req.filter);
    index = { rowPks, group: new Int32Array(rowPks.length), groups: 1 };
  }
  const n = index.rowPks.length;
  const fields = await Promise.all(req.groupBy.map((p) => fieldValues(ctx, runPk, index, p)));
  const groups = new GroupIndex();
  const ordinal = new Int32Array(n);
  for (let i = 0; i < n; i++) ordinal[i] = groups.add(fields.map((f) => f[i] ?? null));
  const sorted = groups.sorted();
  const rank = new Int32Array(groups.size);
  sorted.forEach(([, id], r) => {
    rank[id] = r;
  });
  for (let i = 0; i < n; i++) index.group[i] = rank[ordinal[i]!]!;
  index.groups = Math.max(1, groups.size);
  return { sel: index, keys: sorted.map(([k]) => k), ...(needIndex ? { index: index as RowIndex } : {}) };
}

/** Every row id of a run, ascending: from its rows column, else (an older run) from `run_rows`. */
async function allRowPks(ctx: SqlContext, runPk: number): Promise<Float64Array> {
  const col = (await readScoreColumns(ctx, runPk, { names: [ROWS_COLUMN], rowPks: true })).get(ROWS_COLUMN);
  if (col) return col.rowPks;
  const rows = await ctx.db
    .selectFrom("run_rows")
    .select("id")
    .where("run_pk", "=", runPk)
    .orderBy("id")
    .execute();
  return Float64Array.from(rows, (r) => Number(r.id));
}

/** The rows of `index` whose ids are in `keep` (both ascending). */
export function keepRows(index: RowIndex, keep: Float64Array): RowIndex {
  const at: number[] = [];
  const a = index.rowPks;
  for (let i = 0, j = 0; i < a.length && j < keep.length; ) {
    if (a[i]! < keep[j]!) i++;
    else if (a[i]! > keep[j]!) j++;
    else {
      at.push(i++);
      j++;
    }
  }
  const pick = <T extends Float64Array | Int32Array>(src: T, make: (n: number) => T): T => {
    const out = make(at.length);
    at.forEach((i, k) => {
      out[k] = src[i]!;
    });
    return out;
  };
  return {
    ...index,
    rowPks: pick(index.rowPks, (n) => new Float64Array(n)),
    group: new Int32Array(at.length),
    datapoint: pick(index.datapoint, (n) => new Int32Array(n)),
    trial: pick(index.trial, (n) => new Int32Array(n)),
  };
}

async function fieldValues(
  ctx: SqlContext,
  runPk: number,
  index: RowSelection & Partial<RowIndex>,
  path: string,
): Promise<JsonValue[]> {
  const n = index.rowPks.length;
  const out: JsonValue[] = new Array(n).fill(null);
  if (path === "datapoint_id") return Array.from(index.datapoint!, (d) => index.datapointIds![d]!);
  if (path === "trial") return Array.from(index.trial!);
  const [head, ...rest] = path.split(".");
  const sub = rest.join(".");
  if (head === "scores") {
    const col = (await readScoreColumns(ctx, runPk, { names: [sub], rowPks: true })).get(sub);
    if (!col) return out;
    const pos = positionsIn(col, index);
    for (let i = 0; i < col.count; i++) if (pos[i]! >= 0) out[pos[i]!] = valueAt(col, i) as JsonValue;
    return out;
  }
  const at = new Map<number, number>();
  for (let i = 0; i < n; i++) at.set(index.rowPks[i]!, i);
  const column = head === "item" ? "item" : "output";
  for (let after = 0; ; ) {
    const page = await ctx.db
      .selectFrom("run_rows")
      .select(["id", column])
      .where("run_pk", "=", runPk)
      .where("id", ">", after)
      .orderBy("id")
      .limit(5000)
      .execute();
    for (const r of page) {
      const i = at.get(Number(r.id));
      if (i !== undefined) out[i] = keyOf(getPath(decodeJson(r[column as "item"]), rest));
    }
    if (page.length < 5000) return out;
    after = Number(page[page.length - 1]!.id);
  }
}

/** The value at a dotted path of a decoded value (`undefined` when absent). */
export function getPath(value: unknown, parts: readonly string[]): unknown {
  let v = value;
  for (const p of parts) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

function keyOf(v: unknown): JsonValue {
  if (v === undefined || v === null) return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Date) return v.toISOString();
  return JSON.parse(JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? Array.from(x as Uint8Array) : x)));
}
