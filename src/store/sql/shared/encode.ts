import { canonicalJson } from "../../../core/canonical.js";
import { decodeJson } from "../../../core/codec.js";
import type { ScoreValue } from "../../../core/types.js";

/** A number as stored: NaN becomes `NULL` with `nan = 1`. */
export function storeNumber(v: number): { value: number | null; nan: number } {
  return Number.isNaN(v) ? { value: null, nan: 1 } : { value: v, nan: 0 };
}

/** Reads back a stored number. */
export function readNumber(value: number | null, nan: number): number {
  return nan ? Number.NaN : (value as number);
}

export interface FlatLeaf {
  path: string;
  type: "string" | "number" | "boolean" | "null" | "array";
  num: number | null;
  text: string | null;
}

/**
 * Flattens params into leaves by dotted path (`optimizer.lr`). Arrays and typed arrays
 * are leaves holding canonical JSON; empty objects leave no leaf.
 */
export function flattenParams(value: unknown, prefix = "", out: FlatLeaf[] = []): FlatLeaf[] {
  if (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof Date)
  ) {
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      flattenParams(v, prefix ? `${prefix}.${k}` : k, out);
    }
    return out;
  }
  out.push({ path: prefix, ...leafOf(value) });
  return out;
}

/**
 * Appends the leaves of a run's params, as stored (tagged JSON text), to `out` as rows
 * `[runPk, path, type, num, text]`: the same leaves as {@link flattenParams} of the decoded
 * params, built without intermediate objects when the text holds no tagged value (no `"$`).
 *
 * @example
 * appendParamLeaves('{"opt":{"lr":0.1}}', 7, rows); // rows gets [7, "opt.lr", "number", 0.1, null]
 */
export function appendParamLeaves(text: string, runPk: number, out: unknown[][]): void {
  if (text.includes('"$')) {
    for (const l of flattenParams(decodeJson(text))) out.push([runPk, l.path, l.type, l.num, l.text]);
    return;
  }
  appendPlain(JSON.parse(text) as unknown, "", runPk, out);
}

/** Leaves of plain JSON (no tags: no NaN, dates or typed arrays) straight into rows. */
function appendPlain(value: unknown, prefix: string, runPk: number, out: unknown[][]): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) appendPlain(o[k], prefix ? `${prefix}.${k}` : k, runPk, out);
    return;
  }
  switch (typeof value) {
    case "number":
      out.push([runPk, prefix, "number", value, null]);
      return;
    case "string":
      out.push([runPk, prefix, "string", null, value]);
      return;
    case "boolean":
      out.push([runPk, prefix, "boolean", value ? 1 : 0, null]);
      return;
  }
  if (value === null) out.push([runPk, prefix, "null", null, null]);
  else out.push([runPk, prefix, "array", null, canonicalJson(value)]);
}

function leafOf(v: unknown): Omit<FlatLeaf, "path"> {
  if (v === null || v === undefined) return { type: "null", num: null, text: null };
  if (typeof v === "number")
    return { type: "number", num: Number.isNaN(v) ? null : v, text: Number.isNaN(v) ? "NaN" : null };
  if (typeof v === "boolean") return { type: "boolean", num: v ? 1 : 0, text: null };
  if (typeof v === "string") return { type: "string", num: null, text: v };
  if (v instanceof Date) return { type: "string", num: null, text: v.toISOString() };
  return { type: "array", num: null, text: canonicalJson(v) };
}

/** A score as stored in `row_scores`. */
export function scoreColumns(v: ScoreValue): {
  type: string;
  num: number | null;
  nan: number;
  text: string | null;
} {
  if (v === null) return { type: "null", num: null, nan: 0, text: null };
  if (typeof v === "boolean") return { type: "boolean", num: v ? 1 : 0, nan: 0, text: null };
  if (typeof v === "number")
    return { type: "number", num: Number.isNaN(v) ? null : v, nan: Number.isNaN(v) ? 1 : 0, text: null };
  return { type: "string", num: null, nan: 0, text: v };
}

/** Splits an array into chunks of at most `n`. */
export function chunks<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}
