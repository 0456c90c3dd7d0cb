import type { JsonObject, JsonValue } from "./codec.js";

/**
 * The lifecycle of a run: `running -> success | failed | cancelled` (`pending` before it starts).
 * `crashed`: a `running` run whose writer stopped sending heartbeats (killed, out of memory, a lost
 * machine) for longer than the store's heartbeat timeout; its data is kept, and it is `running`
 * again if its writer was only stalled and writes once more.
 */
export type RunStatus = "pending" | "running" | "success" | "failed" | "cancelled" | "crashed";
export const RUN_STATUSES: readonly RunStatus[] = [
  "pending",
  "running",
  "success",
  "failed",
  "cancelled",
  "crashed",
];
export const FINAL_STATUSES: readonly RunStatus[] = ["success", "failed", "cancelled"];

/** Tags as given by users: a list of bare tags (value `""`) or a key/value record. */
export type TagsInput = readonly string[] | Readonly<Record<string, string>>;

/** The error a failed run keeps. */
export interface RunError {
  type: string;
  message: string;
  stack: string | null;
}

/** An experiment: `experimentId` is `name:version`. */
export interface ExperimentInfo {
  experimentId: string;
  name: string;
  version: string;
  description: string | null;
  metadata: JsonObject;
  tags: Record<string, string>;
  createdAt: string;
}

export interface CreateExperimentInput {
  name: string;
  /** SemVer, default `0.1.0`. */
  version?: string;
  description?: string;
  metadata?: Record<string, unknown>;
  tags?: TagsInput;
}

/** Everything the store keeps about a run, except rows, series, artifacts and data. */
export interface RunRecord {
  runId: string;
  experimentId: string;
  experimentName: string;
  experimentVersion: string;
  name: string | null;
  status: RunStatus;
  params: JsonObject;
  seed: JsonValue;
  tags: Record<string, string>;
  /** Latest value of each metric (the run summary). */
  metrics: Record<string, number>;
  derived: Record<string, JsonValue>;
  error: RunError | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  paramsFingerprint: string;
  seedFingerprint: string;
  contextFingerprint: string;
  executionId: string | null;
}

export interface StartRunInput {
  /** `name` or `name:version`; created when it does not exist (latest version when no version is given). */
  experiment: string;
  name?: string;
  params?: Record<string, unknown>;
  seed?: unknown;
  /** Anything else that decides the outcome (data version, code version); part of the deterministic id. */
  context?: unknown;
  tags?: TagsInput;
  /** An explicit run id; or `"deterministic"` to derive it from experiment, params, seed and context. */
  runId?: string;
  /** What to do when the run id exists: `error` (default) or `replace` (delete it and start again). */
  ifExists?: "error" | "replace";
  /**
   * With `ifExists: "replace"`: replace the stored run only when its status (as read at the
   * moment of the write, `crashed` included) is one of these; otherwise `ALREADY_EXISTS`. A sweep
   * resumed by several processes claims each run this way, so that only one of them runs it.
   */
  replaceIf?: readonly RunStatus[];
  executionId?: string;
  /**
   * When the run started (milliseconds since the epoch, an ISO 8601 string or a `Date`); default
   * now. An import keeps the source's time this way.
   */
  startedAt?: TimeInput;
}

/** A moment given by a caller: milliseconds since the epoch, an ISO 8601 string or a `Date`. */
export type TimeInput = number | string | Date;

/** A score value of a row: a number (NaN and infinities allowed), a boolean (0/1) or a category. */
export type ScoreValue = number | boolean | string | null;

/** One datapoint of an evaluation run, as logged. */
export interface RowInput {
  datapointId: string;
  item?: unknown;
  output?: unknown;
  scores: Record<string, ScoreValue>;
  trial?: number;
  /** Request logs (prompts, responses, latencies). */
  requests?: unknown;
}

/** One datapoint as read back. */
export interface RowRecord {
  datapointId: string;
  trial: number;
  item: JsonValue;
  output: JsonValue;
  scores: Record<string, ScoreValue>;
  requests: JsonValue;
}

export interface MetricEntry {
  name: string;
  value: number;
  step: number | null;
  timestamp: number;
}

export interface ArtifactDescriptor {
  name: string;
  kind: string;
  mediaType: string;
  size: number;
  digest: string;
  createdAt: string;
}

export interface DataDescriptor {
  name: string;
  dtype: string;
  shape: number[];
}

export interface MetricSeries {
  steps: number[];
  values: number[];
  timestamps: number[];
}

/**
 * A metric series cut into buckets of equal step width (see `Store.downsampleSeries`): per
 * bucket its first and last step, first time stamp, the mean of its values and their min and
 * max (a spike inside a bucket stays in `max`), its point count and NaN count. Figures of a
 * bucket holding only NaN are `null`.
 */
export interface DownsampledSeries {
  /** Points in the whole series. */
  totalPoints: number;
  /** True when some bucket holds more than one point. */
  downsampled: boolean;
  steps: number[];
  lastSteps: number[];
  timestamps: number[];
  /** The mean of each bucket's non-NaN values. */
  values: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
  counts: number[];
  nanCounts: number[];
}

/** An experiment with the counts of its runs by status and its last activity. */
export interface ExperimentSummary extends ExperimentInfo {
  /** Runs of this experiment version. */
  runCount: number;
  /** Runs by status (statuses without runs left out). */
  statusCounts: Partial<Record<RunStatus, number>>;
  /**
   * The latest creation, start or end time of one of its runs (ISO), runs deleted since
   * included (it is read from the field summaries, which keep the widest times); `null` without runs.
   */
  lastActivityAt: string | null;
}
