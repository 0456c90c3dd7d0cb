import type { RunStatus } from "../core/types.js";
import type { Store } from "./types.js";

/**
 * Where an execution is: `running` while its runner works, then `finished` or `interrupted`;
 * `crashed` when its runner stopped sending heartbeats (killed) while it ran: its runs that were
 * in flight read `crashed` too, and a launch with `resume` reruns them.
 */
export type ExecutionStatus = "running" | "finished" | "interrupted" | "crashed";

/**
 * The manifest of one execution, as Scythe keeps beside each versioned launch: what ran,
 * when, how it ended, and the JSON Schema of its params and outputs (inferred from what
 * was logged, or given by the experiment).
 */
export interface ExecutionManifest {
  experimentId: string;
  name: string;
  version: string;
  executionId: string;
  startedAt: string;
  finishedAt: string | null;
  /** Runs of this execution by final status, plus `skipped` (already done) and `total` (the sweep). */
  counts: Record<RunStatus | "skipped" | "total", number>;
  paramsSchema: Record<string, unknown>;
  outputsSchema: Record<string, unknown>;
  /** Free facts: runner options (concurrency, workers, timeoutMs), host, labbook version. */
  runner?: Record<string, unknown>;
}

/** One launch of an experiment. `executionId` is `YYYYMMDD_HHMMSS` (UTC), with `_2`, `_3`... on a collision. */
export interface ExecutionRecord {
  experimentId: string;
  experimentName: string;
  experimentVersion: string;
  executionId: string;
  /** A random id telling apart two executions of two stores that got the same `executionId`. */
  uid: string;
  status: ExecutionStatus;
  startedAt: string;
  finishedAt: string | null;
  manifest: ExecutionManifest | null;
}

export interface CreateExecutionInput {
  /** `name:version` (or `name`: the latest version); the experiment must exist. */
  experiment: string;
  /** Milliseconds since the epoch; the id is made from it (default now). */
  startedAt?: number;
}

/** A verbatim execution record, as a merge copies it. */
export interface ImportExecutionInput {
  experiment: string;
  executionId: string;
  uid: string;
  status: ExecutionStatus;
  startedAt: number;
  finishedAt: number | null;
  manifest: ExecutionManifest | null;
}

/** Which execution of an experiment: the latest (by start time) when `executionId` is omitted. */
export interface ExecutionRef {
  executionId?: string;
}

export interface SavedObjectInfo {
  name: string;
  executionId: string;
  savedAt: string;
}

/** What a merge copied (and skipped as already present). */
export interface MergeReport {
  experiments: number;
  runs: number;
  /** Runs present but unfinished (`failed`, `cancelled`, `running`) here and `success` there: replaced. */
  runsReplaced: number;
  runsSkipped: number;
  rows: number;
  seriesPoints: number;
  artifacts: number;
  data: number;
  derived: number;
  metricDefinitions: number;
  executions: number;
  executionObjects: number;
  savedObjects: number;
}

/**
 * Store methods of the runner (issue 6): executions with their `objects.jsonl` record and
 * saved objects, versions, run statuses in bulk, and merging another store.
 *
 * Experiments are named by `name` (executions belong to a name; each records its version).
 * Errors are {@link LabbookError}s: `INVALID_ARGUMENT` naming the field (a bad name, a
 * malformed object line), `NOT_FOUND` (unknown experiment, execution or object),
 * `ALREADY_EXISTS` (an imported execution id taken by another execution).
 */
export interface ExecutionMethods {
  /** Versions of an experiment in SemVer order (empty when the name is unknown). */
  listVersions(name: string): Promise<string[]>;
  /** The highest SemVer version of an experiment. `NOT_FOUND` when the name is unknown. */
  latestVersion(name: string): Promise<string>;

  /**
   * Starts an execution (status `running`) of an existing experiment version, with a unique
   * id made from its start time (`YYYYMMDD_HHMMSS` UTC; `_2`, `_3`... when taken).
   */
  createExecution(input: CreateExecutionInput): Promise<ExecutionRecord>;
  /** Copies an execution record as it is (a merge). `ALREADY_EXISTS` when the id is taken. */
  importExecution(input: ImportExecutionInput): Promise<ExecutionRecord>;
  /** Sets an execution's status, end time and manifest. `NOT_FOUND` when unknown. */
  updateExecution(
    name: string,
    executionId: string,
    patch: { status?: ExecutionStatus; finishedAt?: number | null; manifest?: ExecutionManifest | null },
  ): Promise<ExecutionRecord>;
  /** Executions of an experiment, newest first. Empty when there are none. */
  listExecutions(name: string): Promise<ExecutionRecord[]>;
  /** One execution; the latest when `executionId` is omitted. `NOT_FOUND` when there is none. */
  getExecution(name: string, ref?: ExecutionRef): Promise<ExecutionRecord>;

  /**
   * Appends lines (JSON text, one object each, no newline) to an execution's `objects.jsonl`
   * record, in order, in one transaction. Each line must parse as a JSON object
   * (`INVALID_ARGUMENT` naming its index otherwise, nothing written).
   */
  appendExecutionObjects(name: string, executionId: string, lines: readonly string[]): Promise<void>;
  /** An execution's `objects.jsonl` lines (each ending in `\n`), in the order written, in pages. */
  executionObjects(name: string, ref?: ExecutionRef): AsyncIterable<string>;

  /**
   * Saves a value under a name with an execution (the latest when omitted), replacing one of
   * the same name. Shared sub-objects and cycles are kept (see `core/object-graph`).
   */
  saveObject(name: string, objectName: string, value: unknown, ref?: ExecutionRef): Promise<SavedObjectInfo>;
  /**
   * Loads a saved value. Without `executionId`: from the latest execution that saved an object
   * of that name. `NOT_FOUND` when none did.
   */
  loadObject(name: string, objectName: string, ref?: ExecutionRef): Promise<unknown>;
  /** The objects saved with an execution (every execution when `executionId` is omitted), by name. */
  listObjects(name: string, ref?: ExecutionRef): Promise<SavedObjectInfo[]>;

  /** Run id -> tags of the runs of an execution (the latest when omitted), as stored now. */
  tagsMap(name: string, ref?: ExecutionRef): Promise<Record<string, Record<string, string>>>;
  /** The status of each of these runs that exists (absent ids are left out). */
  runStatuses(runIds: readonly string[]): Promise<Record<string, RunStatus>>;

  /**
   * Copies from `other` every experiment, run (with rows, series, artifacts, data, derived
   * values), metric definition, execution record, `objects.jsonl` line and saved object not
   * yet here. Runs are matched by id (deterministic ids make this idempotent): a run here is
   * kept, unless it is unfinished here and `success` there, then it is replaced. Running it
   * twice copies nothing the second time. `options.progress` is told after each run how many
   * of the source's runs are done.
   */
  merge(other: Store, options?: MergeOptions): Promise<MergeReport>;
}

/** Options of {@link ExecutionMethods.merge}. */
export interface MergeOptions {
  /** Called after each source run (copied or skipped) with the runs done and the source's total. */
  progress?: (done: number, total: number) => void;
}
