import type { ScoreValue } from "../core/types.js";
import type { MetricThreshold } from "./definitions.js";

/**
 * A score value as a category string (numbers and booleans spelled out), or null.
 *
 * @example
 * categoryOf(true); // "true"
 * categoryOf(3); // "3"
 */
export function categoryOf(v: ScoreValue): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === "string" ? v : String(v);
}

/**
 * Whether one score value passes a threshold: `true`, `false`, or `null` when the value is
 * missing (`null`) and so is not judged. `min`/`max` bound numbers (booleans count 0/1; NaN
 * and strings fail); `passWhen` asks for that boolean (or its 0/1); `passingCategories` lists
 * the categories that pass (numbers and booleans compared as spelled). Every condition given
 * must hold.
 *
 * @example
 * passes({ min: 0.5 }, 0.7); // true
 * passes({ passingCategories: ["good"] }, "bad"); // false
 * passes({ passWhen: true }, null); // null
 */
export function passes(threshold: MetricThreshold, v: ScoreValue): boolean | null {
  if (v === null || v === undefined) return null;
  const num = typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : Number.NaN;
  if (threshold.min !== undefined && !(num >= threshold.min)) return false;
  if (threshold.max !== undefined && !(num <= threshold.max)) return false;
  if (threshold.passWhen !== undefined && num !== (threshold.passWhen ? 1 : 0)) return false;
  if (threshold.passingCategories !== undefined) {
    const c = categoryOf(v);
    if (c === null || !threshold.passingCategories.includes(c)) return false;
  }
  return true;
}
