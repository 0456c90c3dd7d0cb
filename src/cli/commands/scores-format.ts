import type { JsonValue } from "../../core/codec.js";
import { invalid } from "../../core/errors.js";
import type { RangeFigures } from "../../scores/types.js";

const BARS = " ▁▂▃▄▅▆▇█";

/**
 * A text histogram: one bar character per bin, scaled to the largest count (an empty bin
 * is a space, a non-empty one at least `▁`).
 *
 * @example
 * sparkline([0, 1, 4, 2]); // " ▂█▄"
 */
export function sparkline(counts: readonly number[]): string {
  const max = Math.max(0, ...counts);
  if (max === 0) return " ".repeat(counts.length);
  return counts.map((c) => (c === 0 ? " " : BARS[Math.max(1, Math.round((c / max) * 8))])).join("");
}

/** A number for a table cell: up to 4 significant decimals, `-` when absent. */
export function cell(v: number | null | undefined): string {
  if (v === null || v === undefined) return "-";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e7) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}

/** A key value for a table cell. */
export function keyCell(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return "(none)";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * Aligned text columns: numbers right-aligned, text left-aligned.
 *
 * @example
 * textTable(["a", "n"], [["x", "1"]]);
 */
export function textTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] ?? "")].length)));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^-?[\d.e+-]+$|^-$|^NaN$|^-?inf$/.test(r[i] ?? "")),
  );
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => {
        const pad = " ".repeat(Math.max(0, widths[i]! - [...c].length));
        return numeric[i] ? pad + c : c + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** A comma-separated option as a list (`undefined` when absent). */
export function listOption(text: string | string[] | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const parts = ([] as string[]).concat(text).flatMap((t) => t.split(","));
  return parts.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** A comma-separated list of numbers (`--percentiles 5,50,95`); an error names the flag and the text. */
export function numberListOption(text: string | undefined, flag = "--percentiles"): number[] | undefined {
  return listOption(text)?.map((s) => {
    const n = Number(s);
    if (!Number.isFinite(n)) throw invalid(flag, "expected comma-separated numbers", s);
    return n;
  });
}

/** The percentile cells of range figures, in the order of `keys`. */
export function percentileCells(f: RangeFigures, keys: readonly string[]): string[] {
  return keys.map((k) => cell(f.percentiles?.[k]));
}
