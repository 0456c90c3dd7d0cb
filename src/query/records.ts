import { toTaggedJson } from "../core/codec.js";
import type { RowRecord, RunRecord, ScoreValue } from "../core/types.js";
import type { MetricThreshold } from "../scores/definitions.js";
import { passes } from "../scores/pass-fail.js";
import type { FieldRef } from "./fields.js";
import { type Cell, MISSING, NULL_CELL, OPAQUE } from "./values.js";

function scalarCell(v: unknown): Cell {
  if (v === null || v === undefined) return NULL_CELL;
  if (typeof v === "number") return { t: "num", v };
  if (typeof v === "boolean") return { t: "num", v: v ? 1 : 0 };
  if (typeof v === "string") return { t: "str", v };
  if (v instanceof Date) return { t: "str", v: v.toISOString() };
  return OPAQUE;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof Date)
  );
}

/**
 * The leaves of params by dotted path, as the store flattens them (objects are not values).
 *
 * @example
 * paramLeaves({ opt: { lr: 0.1 } }); // Map { "opt.lr" => { t: "num", v: 0.1 } }
 */
export function paramLeaves(value: unknown, prefix = "", out = new Map<string, Cell>()): Map<string, Cell> {
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      paramLeaves(v, prefix ? `${prefix}.${k}` : k, out);
    }
    return out;
  }
  out.set(prefix, scalarCell(value));
  return out;
}

function timeCell(iso: string | null): Cell {
  return iso === null ? NULL_CELL : { t: "num", v: Date.parse(iso) };
}

/**
 * The value of a field of a run record, as queries see it.
 *
 * @example
 * runCell(record, { kind: "metric", name: "acc" }); // { t: "num", v: 0.91 }
 */
export function runCell(r: RunRecord, f: FieldRef, leaves?: Map<string, Cell>): Cell {
  switch (f.kind) {
    case "column":
      switch (f.column) {
        case "run_id":
          return { t: "str", v: r.runId };
        case "name":
          return r.name === null ? NULL_CELL : { t: "str", v: r.name };
        case "status":
          return { t: "str", v: r.status };
        case "experiment":
          return { t: "str", v: r.experimentName };
        case "version":
          return { t: "str", v: r.experimentVersion };
        case "created_at":
          return timeCell(r.createdAt);
        case "started_at":
          return timeCell(r.startedAt);
        case "finished_at":
          return timeCell(r.finishedAt);
        case "duration_ms":
          return r.durationMs === null ? NULL_CELL : { t: "num", v: r.durationMs };
        default:
          return MISSING;
      }
    case "param":
      return (leaves ?? paramLeaves(r.params)).get(f.path) ?? MISSING;
    case "metric":
      return Object.hasOwn(r.metrics, f.name) ? { t: "num", v: r.metrics[f.name]! } : MISSING;
    case "derived":
      return Object.hasOwn(r.derived, f.name) ? scalarCell(r.derived[f.name]) : MISSING;
    case "tags":
      return { t: "set", keys: Object.keys(r.tags) };
    case "tag":
      return Object.hasOwn(r.tags, f.key) ? { t: "str", v: r.tags[f.key]! } : MISSING;
    default:
      return MISSING;
  }
}

/**
 * Whether a row passes every threshold of its scores (`null` scores are not judged).
 *
 * @example
 * rowPassed({ f1: 0.4 }, new Map([["f1", { min: 0.5 }]])); // false
 */
export function rowPassed(
  scores: Record<string, ScoreValue>,
  thresholds: ReadonlyMap<string, MetricThreshold>,
): boolean {
  for (const [name, t] of thresholds) {
    if (!Object.hasOwn(scores, name)) continue;
    if (passes(t, scores[name]!) === false) return false;
  }
  return true;
}

function jsonCell(value: unknown, keys: string[]): Cell {
  // Item and output are queried as stored: tagged JSON (NaN is `{"$float":"NaN"}`, an object).
  let cur: unknown = toTaggedJson(value);
  for (const k of keys) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, k)) return MISSING;
    cur = cur[k];
  }
  return scalarCell(cur);
}

/**
 * The value of a field of a row; `thresholds` (score name to pass threshold, from the metric
 * definitions) decide `passed`.
 *
 * @example
 * rowCell(row, { kind: "score", name: "exact_match" }, new Map());
 */
export function rowCell(row: RowRecord, f: FieldRef, thresholds: ReadonlyMap<string, MetricThreshold>): Cell {
  switch (f.kind) {
    case "column":
      return f.column === "datapoint_id" ? { t: "str", v: row.datapointId } : { t: "num", v: row.trial };
    case "json":
      return jsonCell(f.column === "item" ? row.item : row.output, f.keys);
    case "score":
      return Object.hasOwn(row.scores, f.name) ? scalarCell(row.scores[f.name]) : MISSING;
    case "passed":
      return { t: "num", v: rowPassed(row.scores, thresholds) ? 1 : 0 };
    default:
      return MISSING;
  }
}
