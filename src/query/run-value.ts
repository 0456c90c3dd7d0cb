/** The run fields a value of {@link runFieldValue} can come from (a search run may lack some parts). */
export interface RunValueSource {
  runId: string;
  name: string | null;
  status: string;
  experimentName: string;
  experimentVersion: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  seed?: unknown;
  tags: Record<string, string>;
  params?: Record<string, unknown>;
  metrics?: Record<string, number>;
  derived?: Record<string, unknown>;
}

const COLUMNS: Record<string, (r: RunValueSource) => unknown> = {
  run_id: (r) => r.runId,
  name: (r) => r.name,
  status: (r) => r.status,
  experiment: (r) => r.experimentName,
  version: (r) => r.experimentVersion,
  created_at: (r) => r.createdAt,
  started_at: (r) => r.startedAt,
  finished_at: (r) => r.finishedAt,
  duration_ms: (r) => r.durationMs,
  seed: (r) => r.seed,
  tags: (r) => Object.keys(r.tags).sort(),
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** The value at a dotted params path (a key holding dots is matched whole, as the store flattens it). */
function paramAt(params: Record<string, unknown> | undefined, path: string): unknown {
  if (params === undefined) return undefined;
  if (Object.hasOwn(params, path)) return params[path];
  for (const [k, v] of Object.entries(params)) {
    if (path.startsWith(`${k}.`) && isPlainObject(v)) {
      const hit = paramAt(v, path.slice(k.length + 1));
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}

/**
 * The value of a query field path of a run, as a table or a CSV shows it: `run_id`, `name`,
 * `status`, `experiment`, `version`, `created_at`, `started_at`, `finished_at`, `duration_ms`,
 * `seed`, `tags` (the sorted keys), `tags.<key>`, `params.<path>`, `metrics.<name>`,
 * `derived.<name>`; `undefined` when the run lacks it.
 *
 * @example
 * runFieldValue(run, "params.optimizer.lr"); // 0.01
 */
export function runFieldValue(run: RunValueSource, path: string): unknown {
  const column = COLUMNS[path];
  if (column) return column(run);
  const dot = path.indexOf(".");
  if (dot < 0) return undefined;
  const head = path.slice(0, dot);
  const rest = path.slice(dot + 1);
  if (head === "params") return paramAt(run.params, rest);
  if (head === "metrics")
    return run.metrics && Object.hasOwn(run.metrics, rest) ? run.metrics[rest] : undefined;
  if (head === "derived")
    return run.derived && Object.hasOwn(run.derived, rest) ? run.derived[rest] : undefined;
  if (head === "tags") return Object.hasOwn(run.tags, rest) ? run.tags[rest] : undefined;
  return undefined;
}
