import type { MlflowExperiment, MlflowMetric, MlflowRun } from "./mlflow-source.js";

/** A row of MLflow's tracking database, as a driver returns it. */
export type MlflowDbRow = Record<string, unknown>;

/** MLflow stores +-Infinity as the largest finite double in its databases. */
const DBL_MAX = 1.7976931348623157e308;

/** A metric value as MLflow's SQL store keeps it (`is_nan`; infinities as +-DBL_MAX). */
export function dbMetricValue(value: number | null, isNan: number | boolean | null): number {
  if (isNan) return Number.NaN;
  if (value === DBL_MAX) return Number.POSITIVE_INFINITY;
  if (value === -DBL_MAX) return Number.NEGATIVE_INFINITY;
  return value ?? Number.NaN;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const text = (v: unknown) => (v === null || v === undefined || v === "" ? null : String(v));

/** `key`/`value` rows (params, tags, experiment tags) as a record of strings. */
export function keyValues(rows: readonly MlflowDbRow[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [String(r.key), String(r.value ?? "")]));
}

/**
 * An `experiments` row with its tags, in either database (SQLite or PostgreSQL).
 *
 * @example
 * dbExperiment({ experiment_id: 1, name: "sweep", lifecycle_stage: "active" }, []);
 */
export function dbExperiment(e: MlflowDbRow, tags: readonly MlflowDbRow[]): MlflowExperiment {
  return {
    id: String(e.experiment_id),
    name: String(e.name),
    artifactLocation: text(e.artifact_location),
    lifecycleStage: String(e.lifecycle_stage ?? "active"),
    creationTime: num(e.creation_time),
    tags: keyValues(tags),
  };
}

/** A `metrics` row (`key, value, timestamp, step, is_nan`). */
export function dbMetric(m: MlflowDbRow): MlflowMetric {
  return {
    key: String(m.key),
    value: dbMetricValue(m.value as number | null, m.is_nan as number | boolean | null),
    timestamp: Number(m.timestamp),
    step: Number(m.step ?? 0),
  };
}

/**
 * A `runs` row with its params, tags and metrics rows, in either database.
 *
 * @example
 * dbRun("1", runRow, paramRows, tagRows, metricRows);
 */
export function dbRun(
  experimentId: string,
  r: MlflowDbRow,
  params: readonly MlflowDbRow[],
  tags: readonly MlflowDbRow[],
  metrics: readonly MlflowDbRow[],
): MlflowRun {
  return {
    runId: String(r.run_uuid),
    experimentId,
    name: text(r.name),
    status: String(r.status),
    startTime: num(r.start_time),
    endTime: num(r.end_time),
    userId: text(r.user_id),
    sourceType: text(r.source_type),
    sourceName: text(r.source_name),
    sourceVersion: text(r.source_version),
    entryPointName: text(r.entry_point_name),
    artifactUri: text(r.artifact_uri),
    lifecycleStage: String(r.lifecycle_stage ?? "active"),
    params: keyValues(params),
    tags: keyValues(tags),
    metrics: metrics.map(dbMetric),
  };
}
