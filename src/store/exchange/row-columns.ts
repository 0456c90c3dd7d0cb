import type { RowRecord } from "../../core/types.js";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof Date)
  );
}

/** Puts the leaves of an object under dotted paths (arrays, dates and empty objects are leaves). */
function flattenInto(
  prefix: string,
  value: Record<string, unknown>,
  put: (key: string, v: unknown) => void,
): void {
  for (const k in value) {
    const v = value[k];
    const key = prefix + k;
    if (isPlainObject(v)) {
      let empty = true;
      for (const _ in v) {
        empty = false;
        break;
      }
      if (!empty) {
        flattenInto(`${key}.`, v, put);
        continue;
      }
    }
    put(key, v);
  }
}

/**
 * Puts a row's own columns as chunk keys: `r:datapoint_id`, `r:trial`, `x:<item path>` (an item
 * object flattened to dotted paths; any other item is `x:` alone, named `item`), `o:output`,
 * `s:<score>` and `r:passed`.
 *
 * @example
 * const row = {};
 * putRowColumns({ datapointId: "q1", trial: 0, item: { q: "2+2" }, output: "4", scores: { em: 1 }, requests: null }, true, (k, v) => { row[k] = v; });
 * // row: { "r:datapoint_id": "q1", "r:trial": 0, "x:q": "2+2", "o:output": "4", "s:em": 1, "r:passed": true }
 */
export function putRowColumns(row: RowRecord, passed: boolean, put: (key: string, v: unknown) => void): void {
  put("r:datapoint_id", row.datapointId);
  put("r:trial", row.trial);
  if (isPlainObject(row.item)) flattenInto("x:", row.item, put);
  else if (row.item !== null) put("x:", row.item);
  put("o:output", row.output);
  for (const k in row.scores) put(`s:${k}`, row.scores[k]);
  put("r:passed", passed);
}
