import type { RowRecord } from "../../core/types.js";
import { flattenObject } from "../../results/table.js";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof Date)
  );
}

/**
 * A row's own columns as chunk keys: `r:datapoint_id`, `r:trial`, `x:<item path>` (an item
 * object flattened to dotted paths; any other item is `x:` alone, named `item`), `o:output`,
 * `s:<score>` and `r:passed`.
 *
 * @example
 * rowColumns({ datapointId: "q1", trial: 0, item: { q: "2+2" }, output: "4", scores: { em: 1 }, requests: null }, true);
 * // { "r:datapoint_id": "q1", "r:trial": 0, "x:q": "2+2", "o:output": "4", "s:em": 1, "r:passed": true }
 */
export function rowColumns(
  row: RowRecord,
  passed: boolean,
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  out["r:datapoint_id"] = row.datapointId;
  out["r:trial"] = row.trial;
  if (isPlainObject(row.item)) {
    for (const [k, v] of Object.entries(flattenObject(row.item))) out[`x:${k}`] = v;
  } else if (row.item !== null) out["x:"] = row.item;
  out["o:output"] = row.output;
  for (const [k, v] of Object.entries(row.scores)) out[`s:${k}`] = v;
  out["r:passed"] = passed;
  return out;
}
