import { jsonNumbers } from "./csv.js";

/**
 * A value for a terminal cell: numbers to 4 significant digits (integers whole, very small or
 * large ones in exponent form), NaN and infinities by name, JSON for arrays and objects, `-` for
 * null.
 *
 * @example
 * formatValue(0.912345) // "0.9123"; formatValue(1e-7) // "1.00e-7"; formatValue(0.00039) // "0.00039"; formatValue(null) // "-"
 */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return "-";
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, jsonNumbers);
}

/** A number to 4 significant digits. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

/** Milliseconds as `850ms`, `12.3s`, `4m 05s`, `2h 03m`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "-";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.round(s - m * 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

/** Cuts text longer than `width` with an ellipsis. */
export function clip(text: string, width: number): string {
  const flat = text.replace(/[\r\n\t]+/g, " ");
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(1, width - 1))}…`;
}
