import { toTaggedJson } from "../core/codec.js";
import { invalid } from "../core/errors.js";
import type { RowInput } from "../core/types.js";
import { checkMetricName } from "../core/validate.js";

/**
 * Checks rows before anything is written: a non-empty `datapointId`, `scores` a record of
 * numbers, booleans, strings or null, `trial` a whole number >= 0, and JSON-like
 * `item`, `output`, `requests`. Errors name the row index and field.
 */
export function checkRows(rows: readonly RowInput[]): RowInput[] {
  if (!Array.isArray(rows)) throw invalid("rows", "must be an array of rows", rows);
  rows.forEach((row, i) => {
    const at = `rows[${i}]`;
    if (row === null || typeof row !== "object") throw invalid(at, "must be an object", row);
    if (typeof row.datapointId !== "string" || row.datapointId.length === 0) {
      throw invalid(`${at}.datapointId`, "must be a non-empty string", row.datapointId);
    }
    if (row.trial !== undefined && (!Number.isSafeInteger(row.trial) || row.trial < 0)) {
      throw invalid(`${at}.trial`, "must be a whole number >= 0", row.trial);
    }
    if (row.scores === null || typeof row.scores !== "object" || Array.isArray(row.scores)) {
      throw invalid(`${at}.scores`, "must be a record of numbers, booleans, strings or null", row.scores);
    }
    for (const [k, v] of Object.entries(row.scores)) {
      checkMetricName(k, `${at}.scores`);
      if (v !== null && typeof v !== "number" && typeof v !== "boolean" && typeof v !== "string") {
        throw invalid(`${at}.scores.${k}`, "must be a number, boolean, string or null", v);
      }
    }
    if (row.item !== undefined) toTaggedJson(row.item, `${at}.item`);
    if (row.output !== undefined) toTaggedJson(row.output, `${at}.output`);
    if (row.requests !== undefined) toTaggedJson(row.requests, `${at}.requests`);
  });
  return rows as RowInput[];
}
