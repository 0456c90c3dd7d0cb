import { toTaggedJson } from "../core/codec.js";
import { invalid } from "../core/errors.js";
import { checkKeys, type KnownKeys } from "../core/known-keys.js";
import type { RowInput } from "../core/types.js";
import { checkMetricName, checkText } from "../core/validate.js";
import { markChecked } from "./checked.js";

const ROW_KEYS = {
  datapointId: true,
  item: true,
  output: true,
  scores: true,
  trial: true,
  requests: true,
} as const satisfies KnownKeys<RowInput>;

/**
 * Checks rows before anything is written: only the fields of a row, a non-empty `datapointId`,
 * `scores` a record of numbers, booleans, strings or null, `trial` a whole number >= 0, JSON-like
 * `item`, `output`, `requests`, and no `datapointId` and `trial` twice in one call (the
 * second would silently replace the first). Errors name the row index and field. The array
 * returned is marked checked (`writeRun` does not walk it again).
 */
export function checkRows(rows: readonly RowInput[]): RowInput[] {
  if (!Array.isArray(rows)) throw invalid("rows", "must be an array of rows", rows);
  // Row index by datapoint id, per trial (no key strings built: rows are logged by the 100,000).
  const seen = new Map<number, Map<string, number>>();
  rows.forEach((row, i) => {
    const at = `rows[${i}]`;
    if (row === null || typeof row !== "object" || Array.isArray(row))
      throw invalid(at, "must be an object", row);
    checkKeys(row, ROW_KEYS, "a row", `${at}.`);
    checkText(row.datapointId, `${at}.datapointId`);
    if (row.trial !== undefined && (!Number.isSafeInteger(row.trial) || row.trial < 0)) {
      throw invalid(`${at}.trial`, "must be a whole number >= 0", row.trial);
    }
    const trial = row.trial ?? 0;
    let ids = seen.get(trial);
    if (!ids) {
      ids = new Map();
      seen.set(trial, ids);
    }
    const first = ids.get(row.datapointId);
    if (first !== undefined) {
      throw invalid(
        `${at}.datapointId`,
        `repeats rows[${first}] (datapointId ${JSON.stringify(row.datapointId)}, trial ${trial}); log a datapoint's trial once per call, or give each try its own trial`,
      );
    }
    ids.set(row.datapointId, i);
    if (row.scores === null || typeof row.scores !== "object" || Array.isArray(row.scores)) {
      throw invalid(`${at}.scores`, "must be a record of numbers, booleans, strings or null", row.scores);
    }
    for (const [k, v] of Object.entries(row.scores)) {
      checkMetricName(k, `${at}.scores`);
      if (v !== null && typeof v !== "number" && typeof v !== "boolean" && typeof v !== "string") {
        throw invalid(`${at}.scores.${k}`, "must be a number, boolean, string or null", v);
      }
      if (typeof v === "string") checkText(v, `${at}.scores.${k}`, true);
    }
    if (row.item !== undefined) toTaggedJson(row.item, `${at}.item`);
    if (row.output !== undefined) toTaggedJson(row.output, `${at}.output`);
    if (row.requests !== undefined) toTaggedJson(row.requests, `${at}.requests`);
  });
  return markChecked(rows as RowInput[]);
}
