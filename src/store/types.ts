import type { RunFingerprints } from "../core/fingerprints.js";
import type {
  ArtifactDescriptor,
  CreateExperimentInput,
  DataDescriptor,
  DownsampledSeries,
  ExperimentInfo,
  ExperimentSummary,
  MetricEntry,
  MetricSeries,
  RowInput,
  RowRecord,
  RunError,
  RunRecord,
  RunStatus,
  StartRunInput,
} from "../core/types.js";
import type { CompareMethods } from "./compare-methods.js";
import type { ExecutionMethods } from "./execution-methods.js";
import type { RunHandle } from "./run-handle.js";
import type { ScoresMethods } from "./scores-methods.js";
import type { SearchMethods } from "./search-methods.js";

/** Where an artifact's bytes come from. */
export type ArtifactSource = Uint8Array | AsyncIterable<Uint8Array> | { path: string };

export interface PutArtifactOptions {
  kind: string;
  mediaType: string;
}

/**
 * A run ready to be created: its input with the experiment resolved to `name:version`, the
 * run id, the start time and fingerprints fixed. Made by {@link Store.prepareRun}.
 */
export interface RunCreate extends StartRunInput {
  experiment: string;
  runId: string;
  params: Record<string, unknown>;
  tags: Record<string, string>;
  startedAt: number;
  fingerprints: RunFingerprints;
}

/** Params to merge into a running run (see {@link RunHandle.logParams}). */
export interface RunParamsPatch {
  values: Record<string, unknown>;
  /** Replace params the run has with another value (default: they keep their value). */
  replace?: boolean;
}

/** One batch of writes to a running run, applied in one transaction. */
export interface RunWriteBatch {
  /** Creates the run first, in the same transaction (a handle creates its run with its first write). */
  create?: RunCreate;
  /** Params to merge (after `create`): added, kept or replaced as `logParams` says. */
  params?: RunParamsPatch;
  metrics?: MetricEntry[];
  rows?: RowInput[];
  /** Tags to add or overwrite. */
  tags?: Record<string, string>;
  /** Ends the run in the same transaction. */
  end?: {
    status: Exclude<RunStatus, "pending" | "running" | "crashed">;
    error?: RunError | null;
    finishedAt?: number;
  };
}

/** One run's batch of writes, for {@link Store.writeRuns}. */
export interface RunWrite {
  runId: string;
  batch: RunWriteBatch;
}

/** An execution named by its experiment name and id. */
export interface ExecutionKey {
  name: string;
  executionId: string;
}

/** What a heartbeat says is alive: runs (by id) and executions of the store's workspace. */
export interface HeartbeatInput {
  runIds?: readonly string[];
  executions?: readonly ExecutionKey[];
}

/**
 * A store's synchronous writes, for a process that is exiting (nothing asynchronous runs then):
 * the embedded SQLite store has them; stores over a network do not.
 */
export interface SyncRunWriter {
  /** {@link Store.writeRun} now; a batch object this store applied already is skipped. */
  writeRun(runId: string, batch: RunWriteBatch): void;
  /** {@link Store.putArtifact} now, from bytes or a local file. */
  putArtifact(
    runId: string,
    name: string,
    source: Uint8Array | { path: string },
    options: PutArtifactOptions,
  ): void;
  /** {@link Store.putData} now. */
  putData(runId: string, name: string, value: unknown): void;
}

export interface ListRunsOptions {
  /** `name` or `name:version`. */
  experiment?: string;
  status?: RunStatus | RunStatus[];
  /** Newest first, at most this many. */
  limit?: number;
  offset?: number;
}

/**
 * The store contract: every store (SQLite, PostgreSQL, remote over HTTP) implements
 * it and passes the one contract test suite in `src/store/contract/`.
 *
 * Errors are {@link LabbookError}s: `INVALID_ARGUMENT` names the field, the rule and
 * the value; `NOT_FOUND` for unknown experiments, runs, artifacts; `ALREADY_EXISTS`;
 * `FAILED_PRECONDITION` for writes to a run that has ended; `UNSUPPORTED_VERSION` when
 * a store was written by a newer labbook.
 */
export interface Store extends ExecutionMethods, ScoresMethods, CompareMethods, SearchMethods {
  /** Where this store lives (a path, `postgres://...`, `http://...`). */
  readonly uri: string;
  /** The workspace this store object reads and writes (`default` for the embedded store). */
  readonly workspace: string;
  /**
   * A `running` run or execution whose last heartbeat is older than this many milliseconds
   * reads as `crashed` (`openStore(uri, { heartbeatTimeoutMs })`, `$LABBOOK_HEARTBEAT_TIMEOUT_MS`,
   * default 60,000). The run handles of this store send a heartbeat every third of it, at most
   * every 10 seconds.
   */
  readonly heartbeatTimeoutMs: number;

  /**
   * Creates an experiment. Errors: `INVALID_ARGUMENT` for a bad name or version,
   * `ALREADY_EXISTS` when `name:version` exists.
   */
  createExperiment(input: CreateExperimentInput): Promise<ExperimentInfo>;
  /** Creates the experiment, or returns it unchanged when `name:version` exists. */
  ensureExperiment(input: CreateExperimentInput): Promise<ExperimentInfo>;
  /** Every experiment of the workspace, by name then SemVer. */
  listExperiments(): Promise<ExperimentInfo[]>;
  /**
   * Every experiment of the workspace (by name then SemVer) with its runs counted by status
   * and its last activity (the latest creation, start or end of one of its runs, runs deleted
   * since included). The SQL store reads no run row for it.
   *
   * @example
   * for (const e of await store.summarizeExperiments()) console.log(e.experimentId, e.runCount, e.statusCounts);
   */
  summarizeExperiments(): Promise<ExperimentSummary[]>;
  /** One experiment; the latest SemVer version when `version` is omitted. `NOT_FOUND` when absent. */
  getExperiment(name: string, version?: string): Promise<ExperimentInfo>;

  /**
   * Starts a run and returns its handle once the run is stored as `running`: from then on
   * every reader (another process, a server) sees it. The experiment is created when absent.
   * With `runId: "deterministic"` the id is derived from experiment, params, seed and context.
   * A run still open when the store is closed is written and ended `failed`
   * ("ended without finish()"); see also the exit rules (docs/results.md). Errors:
   * `INVALID_ARGUMENT` (a param that is a function, a cycle...), `ALREADY_EXISTS` when the id
   * exists and `ifExists` is not `replace`.
   */
  startRun(input: StartRunInput): Promise<RunHandle>;
  /**
   * Starts a run, calls `fn` with it, and ends it: `success` when `fn` returns, `failed` with
   * the error when it throws (the error is thrown on). A run `fn` ended itself is left as it is.
   */
  withRun<T>(input: StartRunInput, fn: (run: RunHandle) => Promise<T> | T): Promise<T>;
  /** Low level: creates the run record at once (status `running`), without a handle. */
  createRun(input: StartRunInput): Promise<RunRecord>;
  /**
   * Low level: validates a run's input, resolves its experiment (creating it when absent) and
   * its id, and checks the id is free (`ALREADY_EXISTS` unless `ifExists: "replace"`), without
   * writing the run (a later `writeRun` with `create` writes it).
   */
  prepareRun(input: StartRunInput): Promise<RunCreate>;
  /**
   * Low level: applies a batch of writes to a `running` run in one transaction.
   * `FAILED_PRECONDITION` when the run has ended; `NOT_FOUND` when unknown.
   */
  writeRun(runId: string, batch: RunWriteBatch): Promise<void>;
  /**
   * Low level, for imports: applies several runs' batches in one transaction, in order, each
   * checked as {@link Store.writeRun} checks it (the same errors; nothing is written when one
   * fails). Many short runs then cost one commit instead of one each.
   *
   * @example
   * const create = await store.prepareRun({ experiment: "mnist", params: { lr: 0.1 } });
   * await store.writeRuns([{ runId: create.runId, batch: { create, metrics: [{ name: "acc", value: 0.9, step: null, timestamp: Date.now() }], end: { status: "success" } } }]);
   */
  writeRuns(writes: readonly RunWrite[]): Promise<void>;
  /** Stores an artifact of a running or ended run; replaces one of the same name. */
  putArtifact(
    runId: string,
    name: string,
    source: ArtifactSource,
    options: PutArtifactOptions,
  ): Promise<ArtifactDescriptor>;
  /** Stores structured data (arrays and typed arrays keep shape and dtype). */
  putData(runId: string, name: string, value: unknown): Promise<DataDescriptor>;
  /** Adds or replaces derived values beside the run; fingerprints are unchanged. */
  setDerived(
    runId: string,
    values: Record<string, unknown>,
    options?: { overwrite?: boolean },
  ): Promise<void>;

  /** One run. `NOT_FOUND` when unknown (or in another workspace). */
  getRun(runId: string): Promise<RunRecord>;
  /** Runs, newest first, with simple filters; the query language offers more. */
  listRuns(options?: ListRunsOptions): Promise<RunRecord[]>;
  /** Deletes a run and everything it holds. `NOT_FOUND` when unknown. */
  deleteRun(runId: string): Promise<void>;
  /** The full series of a stepped metric, ordered by step then time. Empty when never logged. */
  getSeries(runId: string, name: string): Promise<MetricSeries>;
  /** Names of the metrics that have a series. */
  listSeries(runId: string): Promise<string[]>;
  /**
   * A series cut inside the store into at most `maxPoints` (2 to 100,000) buckets of equal step
   * width, each with its first step, mean, min and max, so that a chart of a million steps gets
   * a few thousand numbers and still shows every spike. A series of at most `maxPoints` points
   * comes back point by point. `NOT_FOUND` for an unknown run; empty when never logged.
   *
   * @example
   * const s = await store.downsampleSeries(runId, "loss", { maxPoints: 1000 });
   * console.log(s.totalPoints, s.steps.length, Math.max(...s.max.map((v) => v ?? -Infinity)));
   */
  downsampleSeries(runId: string, name: string, options: { maxPoints: number }): Promise<DownsampledSeries>;
  /** Rows of a run in `datapointId, trial` order, streamed in pages. */
  iterateRowRecords(runId: string, options?: { batchSize?: number }): AsyncIterable<RowRecord>;
  listArtifacts(runId: string): Promise<ArtifactDescriptor[]>;
  /**
   * The artifacts of each of these runs that exists (by run id, each list by name; unknown ids
   * are left out): one query per few hundred runs, for exports that walk many runs.
   *
   * @example
   * const byRun = await store.listArtifactsOfRuns(["0189...", "0190..."]);
   */
  listArtifactsOfRuns(runIds: readonly string[]): Promise<Record<string, ArtifactDescriptor[]>>;
  /**
   * How many rows each of these runs that exists holds (by run id; unknown ids are left out).
   *
   * @example
   * const counts = await store.countRowsOfRuns(runIds); // { "0189...": 1000, "0190...": 0 }
   */
  countRowsOfRuns(runIds: readonly string[]): Promise<Record<string, number>>;
  /** An artifact's descriptor and bytes. `NOT_FOUND` when absent. */
  getArtifact(runId: string, name: string): Promise<{ descriptor: ArtifactDescriptor; bytes: Uint8Array }>;
  /** An artifact's bytes as a stream, for large files. */
  openArtifact(
    runId: string,
    name: string,
  ): Promise<{ descriptor: ArtifactDescriptor; stream: AsyncIterable<Uint8Array> }>;
  getData(runId: string, name: string): Promise<unknown>;
  listData(runId: string): Promise<DataDescriptor[]>;

  /**
   * Low level: marks these runs and executions of the workspace alive now (their writer still
   * works). A `crashed` one becomes `running` again; ended ones and unknown ids are left alone.
   * Run handles and the runner call it on a timer (see {@link Store.heartbeatTimeoutMs}).
   */
  heartbeat(input: HeartbeatInput): Promise<void>;

  /** Low level, optional: synchronous writes for a process that is exiting (the embedded store). */
  readonly syncWriter?: SyncRunWriter;

  /**
   * Writes what the open run handles of this store still hold, ends their runs `failed`
   * ("ended without finish(): the store was closed"), then releases the database and files;
   * this store's heartbeats stop.
   */
  close(): Promise<void>;
}
