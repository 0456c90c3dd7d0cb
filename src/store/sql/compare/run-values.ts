import type { DatapointValues } from "../../../compare/pairing.js";
import { averageByDatapoint } from "../../../compare/pairing.js";
import type { MetricSpec } from "../../../compare/types.js";
import type { MetricDefinition } from "../../../scores/definitions.js";
import type { RowIndex } from "../rows/row-index.js";
import { type ScoreColumn, TAG_BOOLEAN, TAG_NUMBER, TAG_STRING } from "../rows/score-chunk-codec.js";
import { categoryAt, positionsIn } from "../scores/score-samples.js";

/**
 * How a score is compared: from its definition (`range` by value, or by pass/fail when its
 * threshold has `passWhen`; `rubric` by pass/fail when it has `passingCategories`, else by
 * the rank in `categories`, else by category only), or
 * without one from its column: `rubric` (by category) when it holds strings and no number,
 * `range` (higher is better) otherwise.
 *
 * @example
 * specOf("acc", undefined, column); // { name: "acc", kind: "range", direction: "higher", compareBy: "value" }
 */
export function specOf(
  name: string,
  def: MetricDefinition | undefined,
  col: ScoreColumn | undefined,
): MetricSpec {
  if (def) {
    if (def.kind === "range") {
      // A boolean pass/fail (`passWhen`) compares by passing, whichever value passes.
      return def.threshold?.passWhen !== undefined
        ? { name, kind: "range", direction: "higher", compareBy: "pass" }
        : { name, kind: "range", direction: def.direction, compareBy: "value" };
    }
    const by = def.threshold?.passingCategories ? "pass" : def.categories ? "order" : "category";
    return { name, kind: def.kind, direction: def.direction, compareBy: by };
  }
  let strings = false;
  let numbers = false;
  for (let i = 0; col && i < col.count; i++) {
    const t = col.tags[i];
    if (t === TAG_STRING) strings = true;
    else if (t === TAG_NUMBER || t === TAG_BOOLEAN) numbers = true;
  }
  return strings && !numbers
    ? { name, kind: "rubric", direction: "higher", compareBy: "category" }
    : { name, kind: "range", direction: "higher", compareBy: "value" };
}

/** Each column entry's datapoint ordinal in `index` (-1 for rows outside it). */
function datapointsOf(col: ScoreColumn, index: RowIndex): Int32Array {
  const pos = positionsIn(col, index);
  const out = new Int32Array(col.count);
  for (let i = 0; i < col.count; i++) out[i] = pos[i]! >= 0 ? index.datapoint[pos[i]!]! : -1;
  return out;
}

/**
 * A metric's value per datapoint of a run (trials averaged, see `averageByDatapoint`):
 * numbers and booleans (`value`), 1/0 for a passing value or category (`pass`; NaN stays
 * NaN), the category's rank
 * (`order`), or for `category` the code (in `codes`, shared by both runs) of the datapoint's
 * most frequent category (ties: the first seen).
 *
 * @example
 * const v = datapointValues(spec, def, column, await readRowIndex(ctx, runPk), new Map());
 */
export function datapointValues(
  spec: MetricSpec,
  def: MetricDefinition | undefined,
  col: ScoreColumn,
  index: RowIndex,
  codes: Map<string, number>,
): DatapointValues {
  const dp = datapointsOf(col, index);
  if (spec.compareBy === "value") {
    const usable = new Uint8Array(col.count);
    for (let i = 0; i < col.count; i++)
      usable[i] = col.tags[i] === TAG_NUMBER || col.tags[i] === TAG_BOOLEAN ? 1 : 0;
    return averageByDatapoint(dp, col.nums, usable, index.datapoints);
  }
  if (spec.compareBy === "category") return modes(col, dp, index.datapoints, codes);
  if (spec.compareBy === "pass" && def?.threshold?.passWhen !== undefined) {
    const want = def.threshold.passWhen ? 1 : 0;
    const values = new Float64Array(col.count);
    const usable = new Uint8Array(col.count);
    for (let i = 0; i < col.count; i++) {
      if (col.tags[i] !== TAG_NUMBER && col.tags[i] !== TAG_BOOLEAN) continue;
      usable[i] = 1;
      values[i] = Number.isNaN(col.nums[i]!) ? Number.NaN : col.nums[i] === want ? 1 : 0;
    }
    return averageByDatapoint(dp, values, usable, index.datapoints);
  }
  const passing = new Set(def?.threshold?.passingCategories ?? []);
  const rank = new Map((def?.categories ?? []).map((c, i) => [c, i]));
  const values = new Float64Array(col.count);
  const usable = new Uint8Array(col.count);
  for (let i = 0; i < col.count; i++) {
    const c = categoryAt(col, i);
    if (c === null) continue;
    if (spec.compareBy === "pass") {
      values[i] = passing.has(c) ? 1 : 0;
      usable[i] = 1;
    } else if (rank.has(c)) {
      values[i] = rank.get(c)!;
      usable[i] = 1;
    }
  }
  return averageByDatapoint(dp, values, usable, index.datapoints);
}

function modes(
  col: ScoreColumn,
  dp: Int32Array,
  datapoints: number,
  codes: Map<string, number>,
): DatapointValues {
  const counts = new Map<number, Map<string, number>>();
  for (let i = 0; i < col.count; i++) {
    const c = categoryAt(col, i);
    if (c === null || dp[i]! < 0) continue;
    const m = counts.get(dp[i]!) ?? new Map<string, number>();
    m.set(c, (m.get(c) ?? 0) + 1);
    counts.set(dp[i]!, m);
  }
  const values = new Float64Array(datapoints).fill(Number.NaN);
  const present = new Uint8Array(datapoints);
  for (const [k, m] of counts) {
    let best = "";
    let most = 0;
    for (const [c, n] of m) if (n > most) [best, most] = [c, n];
    if (!codes.has(best)) codes.set(best, codes.size);
    values[k] = codes.get(best)!;
    present[k] = 1;
  }
  return { values, present };
}
