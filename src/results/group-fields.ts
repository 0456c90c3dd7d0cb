import { invalid } from "../core/errors.js";
import { lookupPath } from "./filter.js";
import type { Run } from "./run.js";

/** Reads one field of a run for grouping. */
export type FieldReader = { label: string; read: (run: Run) => unknown };

const BASE: Record<string, (run: Run) => unknown> = {
  run_id: (r) => r.runId,
  experiment_id: (r) => r.experimentId,
  status: (r) => r.status,
  name: (r) => r.name,
};

const PREFIXES: [RegExp, string, (run: Run, key: string) => unknown][] = [
  [/^params?[._]/, "", (r, k) => lookupPath(r.params, k).value],
  [/^metrics?[._]/, "metric_", (r, k) => r.metrics[k]],
  [/^derived[._]/, "derived_", (r, k) => r.derived[k]],
  [/^tags?[._]/, "tag_", (r, k) => r.tags[k]],
];

/**
 * Resolves a group-by field: `status`, `experiment_id`, `run_id`, `name`; `params.x` or
 * `param_x`; `metrics.x`; `derived.x`; `tags.k`; or a bare name, looked up among params, then
 * metrics, derived values and tags of the runs. `INVALID_ARGUMENT` when no run has it.
 */
export function fieldReader(field: string, runs: readonly Run[]): FieldReader {
  const base = BASE[field];
  if (base) return { label: field, read: base };
  for (const [re, label, read] of PREFIXES) {
    const m = re.exec(field);
    if (m) {
      const key = field.slice(m[0].length);
      return { label: label + key, read: (r) => read(r, key) };
    }
  }
  for (const [, label, read] of PREFIXES) {
    if (runs.some((r) => read(r, field) !== undefined))
      return { label: label + field, read: (r) => read(r, field) };
  }
  throw invalid(
    "groupBy",
    "must name a field of the runs (status, experiment_id, params.<path>, metrics.<name>, derived.<name>, tags.<key>)",
    field,
  );
}
