import { existsSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, resolve, sep } from "node:path";
import type { TableRow } from "./types.js";

/**
 * One CSV cell: empty for null, `NaN`/`Infinity`/`-Infinity` for those numbers, JSON for arrays
 * and objects, quoted (RFC 4180) when it holds a comma, a quote, CR or LF.
 *
 * @example
 * csvCell('say "hi", twice') // '"say ""hi"", twice"'
 */
export function csvCell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = "";
  else if (typeof value === "number") text = String(value);
  else if (typeof value === "string") text = value;
  else if (typeof value === "boolean") text = value ? "true" : "false";
  else if (value instanceof Date) text = value.toISOString();
  else text = JSON.stringify(value, jsonNumbers);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** JSON inside a cell: non-finite numbers as the strings `NaN`, `Infinity`, `-Infinity`. */
export function jsonNumbers(_key: string, v: unknown): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
}

/** A whole CSV document: a header line, then one line per row, each ending in CRLF (RFC 4180). */
export function csvText(columns: readonly string[], rows: readonly TableRow[]): string {
  const lines = [columns.map(csvCell).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** `YYYYMMDD_HHMMSS` in UTC. */
export function fileStamp(at: Date = new Date()): string {
  return at.toISOString().replace(/[-:]/g, "").replace("T", "_").slice(0, 15);
}

/**
 * Where to write: a directory (existing, or a path ending in a separator) gets
 * `results_<stamp><ext>` (`.csv` by default; a free name: `_1`, `_2`... when taken); a file path gets `_<stamp>`
 * before its extension when `timestamp` is set.
 */
export function csvTarget(path: string, timestamp: boolean, at: Date = new Date(), ext = ".csv"): string {
  const full = resolve(path);
  const isDir =
    path.endsWith("/") || path.endsWith(sep) || (existsSync(full) && statSync(full).isDirectory());
  if (isDir) {
    const stem = join(full, `results_${fileStamp(at)}`);
    let candidate = `${stem}${ext}`;
    for (let i = 1; existsSync(candidate); i++) candidate = `${stem}_${i}${ext}`;
    return candidate;
  }
  if (!timestamp) return full;
  const own = extname(full);
  return join(dirname(full), `${basename(full, own)}_${fileStamp(at)}${own || ext}`);
}

/** Writes text to a file, creating its folder. */
export async function writeText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, "utf8");
}
