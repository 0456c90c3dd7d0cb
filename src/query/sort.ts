import { LabbookError } from "../core/errors.js";
import type { RowRecord, RunRecord } from "../core/types.js";
import type { MetricThreshold } from "../scores/definitions.js";
import type { QueryScope } from "./ast.js";
import { type FieldRef, resolveField } from "./fields.js";
import { paramLeaves, rowCell, runCell } from "./records.js";
import { type Cell, compareCells, compareStrings } from "./values.js";

/** One key of a sort: a field path and a direction. */
export interface SortKey {
  field: string;
  ref: FieldRef;
  desc: boolean;
}

/** The default order: runs newest first; rows by `datapoint_id, trial`. */
export const DEFAULT_SORT: Record<QueryScope, string> = { runs: "-created_at", rows: "datapoint_id,trial" };

/**
 * Parses a sort such as `-metrics.acc,created_at` (a leading `-` is descending; `+` ascending).
 * Every order puts null and missing values last, then ties are broken by `run_id` (runs; in the
 * direction of the last key) or `datapoint_id, trial` (rows, ascending). `INVALID_ARGUMENT` names the key that is not a sortable field.
 *
 * @example
 * parseSort("-metrics.acc,created_at"); // [{ field: "metrics.acc", desc: true, ... }, ...]
 */
export function parseSort(
  sort: string | readonly string[] | undefined,
  scope: QueryScope = "runs",
): SortKey[] {
  const text = sort === undefined ? DEFAULT_SORT[scope] : typeof sort === "string" ? sort : sort.join(",");
  const parts = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (parts.length === 0) return parseSort(undefined, scope);
  if (parts.length > 8)
    throw new LabbookError("INVALID_ARGUMENT", "sort: expected at most 8 keys", { field: "sort" });
  return parts.map((p, i) => {
    const desc = p.startsWith("-");
    const field = desc || p.startsWith("+") ? p.slice(1) : p;
    const ref = resolveField(field, scope);
    if (typeof ref === "string" || ref.kind === "tags") {
      throw new LabbookError(
        "INVALID_ARGUMENT",
        `sort[${i}]: expected ${typeof ref === "string" ? ref : "a field with one value (not `tags`)"}, with an optional leading - or +; received ${JSON.stringify(p)}`,
        { field: `sort[${i}]`, details: { received: p } },
      );
    }
    return { field, ref, desc };
  });
}

function sortBy<T>(
  items: readonly T[],
  keys: SortKey[],
  cell: (x: T, f: FieldRef) => Cell,
  tie: (a: T, b: T) => number,
): T[] {
  const decorated = items.map((x) => ({ x, cells: keys.map((k) => cell(x, k.ref)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const c = compareCells(a.cells[i]!, b.cells[i]!, keys[i]!.desc);
      if (c !== 0) return c;
    }
    return tie(a.x, b.x);
  });
  return decorated.map((d) => d.x);
}

/**
 * Sorts run records by the reference order (the one the stores' SQL follows).
 *
 * @example
 * sortRuns(runs, parseSort("-metrics.acc"));
 */
export function sortRuns(runs: readonly RunRecord[], keys: SortKey[]): RunRecord[] {
  return sortBy(
    runs,
    keys,
    (r, f) => runCell(r, f, f.kind === "param" ? paramLeaves(r.params) : undefined),
    (a, b) => compareStrings(a.runId, b.runId) * (keys[keys.length - 1]?.desc ? -1 : 1),
  );
}

/**
 * Sorts rows by the reference order.
 *
 * @example
 * sortRows(rows, parseSort("-scores.f1", "rows"), new Map());
 */
export function sortRows(
  rows: readonly RowRecord[],
  keys: SortKey[],
  thresholds: ReadonlyMap<string, MetricThreshold> = new Map(),
): RowRecord[] {
  return sortBy(
    rows,
    keys,
    (r, f) => rowCell(r, f, thresholds),
    (a, b) => compareStrings(a.datapointId, b.datapointId) || a.trial - b.trial,
  );
}
