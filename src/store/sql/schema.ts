import type { Generated } from "kysely";

/**
 * The tables of the SQL run store (both dialects). Timestamps are integer
 * milliseconds since the epoch; JSON columns hold the tagged JSON of `core/codec`.
 * Numbers that SQL cannot hold portably (NaN) are stored as `NULL` with `nan = 1`;
 * infinities are stored as they are.
 */
export interface MetaTable {
  key: string;
  value: string;
}

export interface ExperimentsTable {
  workspace: string;
  name: string;
  version: string;
  description: string | null;
  metadata: string;
  tags: string;
  created_at: number;
}

export interface RunsTable {
  /** Internal surrogate key; children refer to it. */
  id: Generated<number>;
  workspace: string;
  run_id: string;
  experiment_name: string;
  experiment_version: string;
  name: string | null;
  status: string;
  /** Tagged JSON of the whole params object. */
  params: string;
  seed: string;
  tags: string;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  duration_ms: number | null;
  params_fp: string;
  seed_fp: string;
  context_fp: string;
  execution_id: string | null;
  /** Last heartbeat of an open run, ms since the epoch (migration 9); NULL for runs that never ran here. */
  heartbeat_at: number | null;
}

/** One leaf of a run's params (dotted path); arrays are leaves holding JSON text. */
export interface RunParamsTable {
  run_pk: number;
  path: string;
  /** `string | number | boolean | null | array` */
  type: string;
  /** numbers (NULL for NaN), booleans as 0/1 */
  num: number | null;
  /** strings, `NaN` for NaN, JSON text for arrays */
  text: string | null;
}

export interface RunMetricsTable {
  run_pk: number;
  name: string;
  value: number | null;
  nan: number;
  step: number | null;
  ts: number;
  /** 1 while the value is not yet in the metric-value index (migration 6); 0 once it is. */
  pending: Generated<number>;
}

export interface MetricSeriesTable {
  run_pk: number;
  name: string;
  step: number;
  value: number | null;
  nan: number;
  ts: number;
}

export interface RunTagsTable {
  run_pk: number;
  key: string;
  value: string;
}

export interface RunRowsTable {
  id: Generated<number>;
  run_pk: number;
  datapoint_id: string;
  trial: number;
  item: string;
  output: string;
  scores: string;
  requests: string;
}

/** One score of one row, flattened for filters and aggregates. */
export interface RowScoresTable {
  run_pk: number;
  row_pk: number;
  name: string;
  /** `number | boolean | string | null` */
  type: string;
  num: number | null;
  nan: number;
  text: string | null;
}

export interface ArtifactsTable {
  run_pk: number;
  name: string;
  kind: string;
  media_type: string;
  size: number;
  digest: string;
  location: string;
  created_at: number;
}

export interface RunDataTable {
  run_pk: number;
  name: string;
  dtype: string;
  shape: string;
  value: string;
}

export interface RunDerivedTable {
  run_pk: number;
  name: string;
  type: string;
  num: number | null;
  text: string | null;
  value: string;
}

/** A metric definition of an experiment version (migration 2): how its scores are read and judged. */
export interface MetricDefsTable {
  workspace: string;
  experiment_name: string;
  experiment_version: string;
  name: string;
  /** `range | rubric` */
  kind: string;
  /** `higher | lower` */
  direction: string;
  /** JSON `{ min?, max?, passWhen?, passingCategories? }` or NULL */
  threshold: string | null;
  /** JSON array of category names or NULL */
  categories: string | null;
  updated_at: number;
}

/** A composite metric of an experiment version (migration 2): an arithmetic expression over scores. */
export interface CompositeDefsTable {
  workspace: string;
  experiment_name: string;
  experiment_version: string;
  name: string;
  expression: string;
  updated_at: number;
}

/**
 * The columnar copy of a run's scores (migration 2), kept by `writeRows` in the same
 * transaction: per score name, chunks of parallel arrays in row-id order. Blobs are the
 * little-endian bytes of typed arrays: `tags` Uint8 (0 null, 1 number, 2 boolean, 3 string),
 * `nums` Float64 (NaN kept, booleans 0/1), `codes` Int32 indexes into `dict` (a JSON array of
 * this chunk's strings; NULL when the chunk has no string), `row_pks` Float64. `tags` is empty
 * when every value is a number and `nums` when none is numeric. The reserved name
 * `"\u0001row_ids"` (control characters never name a score) holds one null entry per row, so a
 * run's row count and row ids are read without walking `run_rows`.
 */
export interface ScoreChunksTable {
  run_pk: number;
  name: string;
  chunk: number;
  count: number;
  tags: Uint8Array;
  nums: Uint8Array;
  codes: Uint8Array | null;
  dict: string | null;
  row_pks: Uint8Array;
}

/** Runs whose score chunks must be rebuilt from `row_scores` before they are read (a row was replaced). */
export interface ScoreChunksStaleTable {
  run_pk: number;
}

// --- Server API keys (migration 5) ---
/** An API key of the HTTP server: only a salted HMAC of its secret is kept. */
export interface ApiKeysTable {
  /** The public id inside the key (`lbk_<id>_<secret>`). */
  id: string;
  workspace: string;
  /** `read`, `write` or `admin`. */
  role: string;
  name: string | null;
  salt: string;
  /** Hex HMAC-SHA-256 of the secret keyed by `salt`. */
  hash: string;
  created_at: number;
  revoked_at: number | null;
}
// --- end server API keys ---

// --- runner executions (migration 3) ---
/** One launch of an experiment (migration 3). Times are ms since the epoch. */
export interface ExecutionsTable {
  workspace: string;
  experiment_name: string;
  execution_id: string;
  experiment_version: string;
  uid: string;
  /** `running | finished | interrupted | crashed` */
  status: string;
  started_at: number;
  finished_at: number | null;
  /** JSON of the execution manifest, or NULL while it runs. */
  manifest: string | null;
  /** Last heartbeat of a running execution, ms since the epoch (migration 9). */
  heartbeat_at: number | null;
}

/** One line of an execution's `objects.jsonl` record, in order (`seq` from 0). */
export interface ExecutionObjectsTable {
  workspace: string;
  experiment_name: string;
  execution_id: string;
  seq: number;
  line: string;
}

/** An object saved with an execution: JSON of `{ root, nodes }` (core/object-graph). */
export interface ExecutionSavedTable {
  workspace: string;
  experiment_name: string;
  execution_id: string;
  name: string;
  value: string;
  saved_at: number;
}
// --- end runner executions ---

/** One row (`id = 1`): every run keyed up to `through` has its param leaves (migration 7). */
export interface RunIndexTable {
  id: number;
  through: number;
}

/** Keys of runs changed after their creation, in order (SQLite: migration 11; see `sqliteRunChanges`). */
export interface RunChangesTable {
  seq: Generated<number>;
  run_pk: number;
}

/** Per experiment version, field and value type: runs having it and its range (migration 13). */
export interface FieldSummariesTable {
  workspace: string;
  experiment_name: string;
  experiment_version: string;
  field: string;
  type: string;
  /** Which of the field's rows (migration 14): see `SqlDialect.summarySlot`. */
  slot: number;
  runs: number;
  num_min: number | null;
  num_max: number | null;
  text_min: string | null;
  text_max: string | null;
}

/** Per experiment version and field: its smallest distinct values (migration 13). */
export interface FieldValuesTable {
  workspace: string;
  experiment_name: string;
  experiment_version: string;
  field: string;
  sort_key: string;
  type: string;
  num: number | null;
  text: string | null;
}

export interface Database {
  labbook_meta: MetaTable;
  field_summaries: FieldSummariesTable;
  field_values: FieldValuesTable;
  run_index: RunIndexTable;
  run_changes: RunChangesTable;
  experiments: ExperimentsTable;
  runs: RunsTable;
  run_params: RunParamsTable;
  run_metrics: RunMetricsTable;
  metric_series: MetricSeriesTable;
  run_tags: RunTagsTable;
  run_rows: RunRowsTable;
  row_scores: RowScoresTable;
  artifacts: ArtifactsTable;
  run_data: RunDataTable;
  run_derived: RunDerivedTable;
  metric_defs: MetricDefsTable;
  composite_defs: CompositeDefsTable;
  score_chunks: ScoreChunksTable;
  score_chunks_stale: ScoreChunksStaleTable;
  api_keys: ApiKeysTable;
  executions: ExecutionsTable;
  execution_objects: ExecutionObjectsTable;
  execution_saved: ExecutionSavedTable;
}
