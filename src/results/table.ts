import type { Run } from "./run.js";
import type { TableRow } from "./types.js";

/** The columns every table starts with, in order. */
export const BASE_COLUMNS = [
  "run_id",
  "experiment_id",
  "status",
  "started_at",
  "finished_at",
  "duration_ms",
] as const;

export const FINGERPRINT_COLUMNS = ["params_fingerprint", "seed_fingerprint", "context_fingerprint"] as const;

/**
 * Flattens nested params to dotted paths (`optimizer.lr`); arrays, dates and empty objects
 * are leaves.
 *
 * @example
 * flattenObject({ a: { b: 1, c: [1, 2] } }) // { "a.b": 1, "a.c": [1, 2] }
 */
export function flattenObject(value: Record<string, unknown>, prefix = "", out: TableRow = {}): TableRow {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)) {
      if (Object.keys(v).length > 0) {
        flattenObject(v as Record<string, unknown>, key, out);
        continue;
      }
    }
    out[key] = v;
  }
  return out;
}

/**
 * One flat object per run: `run_id, experiment_id, status, started_at, finished_at,
 * duration_ms`, `param_<dotted.path>`, `metric_<name>`, `derived_<name>` (stored values, then
 * `extra` values computed on the fly, which win a name), then fingerprints when asked. Every row
 * has every column (`null` where a run has no value); params, metrics and derived columns are
 * sorted by name.
 */
export function buildTable(
  runs: readonly Run[],
  options: { includeFingerprints?: boolean; extra?: readonly Record<string, unknown>[] } = {},
): TableRow[] {
  const partial = runs.map((run, i) => {
    const row: TableRow = {
      run_id: run.runId,
      experiment_id: run.experimentId,
      status: run.status,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      duration_ms: run.durationMs,
    };
    const params = prefixed("param_", flattenObject(run.params));
    const metrics = prefixed("metric_", run.metrics);
    const derived = prefixed("derived_", { ...run.derived, ...(options.extra?.[i] ?? {}) });
    return { row, params, metrics, derived, run };
  });
  const names = (pick: (p: (typeof partial)[number]) => TableRow) =>
    [...new Set(partial.flatMap((p) => Object.keys(pick(p))))].sort();
  const paramCols = names((p) => p.params);
  const metricCols = names((p) => p.metrics);
  const derivedCols = names((p) => p.derived);
  return partial.map(({ row, params, metrics, derived, run }) => {
    for (const c of paramCols) row[c] = params[c] ?? null;
    for (const c of metricCols) row[c] = metrics[c] ?? null;
    for (const c of derivedCols) row[c] = derived[c] ?? null;
    if (options.includeFingerprints) {
      row.params_fingerprint = run.paramsFingerprint;
      row.seed_fingerprint = run.seedFingerprint;
      row.context_fingerprint = run.contextFingerprint;
    }
    return row;
  });
}

/** The column names of a table (those of an empty one too). */
export function tableColumns(rows: readonly TableRow[], includeFingerprints = false): string[] {
  if (rows[0]) return Object.keys(rows[0]);
  return [...BASE_COLUMNS, ...(includeFingerprints ? FINGERPRINT_COLUMNS : [])];
}

function prefixed(prefix: string, o: Record<string, unknown>): TableRow {
  const out: TableRow = {};
  for (const [k, v] of Object.entries(o)) out[prefix + k] = v;
  return out;
}
