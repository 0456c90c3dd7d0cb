import type { ArtifactDescriptor, DataDescriptor, RowInput } from "../core/types.js";
import type { LogArtifactOptions } from "../store/artifact-payload.js";
import type { SavedObjectInfo } from "../store/execution-methods.js";
import type { Store } from "../store/types.js";
import type { ParamSpace } from "./param-space.js";

/** How a launch picks its version: keep it (default), or bump the latest stored one. */
export type Versioning = "keep" | "bump-patch" | "bump-minor" | "bump-major";

/**
 * What a run logs, bound to its run. Every method validates its input at once (a bad value
 * throws in the run, which then fails); writes are ordered, and the runner waits for all of
 * them (awaited or not) before it ends the run.
 */
export interface Capture {
  /** One metric value; with `step` it extends the metric's series too. */
  metric(name: string, value: number, options?: { step?: number }): Promise<void>;
  /** Several metrics at the same step. */
  metrics(record: Record<string, number>, options?: { step?: number }): Promise<void>;
  /**
   * Adds params known only once the run is set up (a model's parameter count). The run's id
   * derives from its params, so a param it has cannot change: another value fails the run's
   * write (`FAILED_PRECONDITION`); new params are added.
   */
  params(values: Record<string, unknown>): Promise<void>;
  /** One row (datapoint with scores). */
  row(row: RowInput): Promise<void>;
  rows(rows: readonly RowInput[]): Promise<void>;
  /** An artifact: a JSON value, text, bytes or `{ path }` of a local file. */
  artifact(name: string, value: unknown, options?: LogArtifactOptions): Promise<ArtifactDescriptor>;
  /** Structured data (arrays and typed arrays keep shape and dtype). */
  data(name: string, value: unknown): Promise<DataDescriptor>;
  /** A line of text, kept with the others as the run's `log` artifact (kind `log`). */
  log(text: string): void;
}

/** The execution a run belongs to: objects saved here load back with `store.loadObject`. */
export interface ExecutionHandle {
  readonly experimentName: string;
  readonly executionId: string;
  /** Saves a value (shared sub-objects and cycles kept) under `name` with this execution. */
  save(value: unknown, name: string): Promise<SavedObjectInfo>;
  /** Loads a value saved with this execution. */
  load(name: string): Promise<unknown>;
}

/** What a run function receives. */
export interface RunContext<P = Record<string, unknown>> {
  params: P;
  seed: number;
  capture: Capture;
  /** Aborted when the run times out, or the sweep is interrupted (SIGINT, `signal`). */
  signal: AbortSignal;
  runId: string;
  tags: Record<string, string>;
  execution: ExecutionHandle;
}

export type RunFunction<P = Record<string, unknown>> = (context: RunContext<P>) => Promise<unknown> | unknown;

/** What {@link defineExperiment} takes. */
export interface ExperimentInput<P = Record<string, unknown>> {
  name: string;
  /** SemVer; default: the latest stored version, else `0.1.0` (see `versioning`). */
  version?: string;
  description?: string;
  metadata?: Record<string, unknown>;
  /** A grid (`{ lr: [1e-3, 1e-4] }`), a list of param objects, or `sample({...})`. */
  params: ParamSpace;
  /** Seeds: a list, or a count `n` for `0..n-1`. Default `[0]`. Each config runs once per seed. */
  seeds?: readonly number[] | number;
  /** Tags of every run (bare tags or a record); `tag(value)` params add their own. */
  tags?: readonly string[] | Record<string, string>;
  /** Anything else that decides the outcome (data or code version); part of each run's id. */
  context?: unknown;
  run: RunFunction<P>;
  versioning?: Versioning;
  /** JSON Schemas of params and outputs for the manifest; inferred from what was logged when absent. */
  schema?: { params?: Record<string, unknown>; outputs?: Record<string, unknown> };
  /**
   * The module this definition lives in (`import.meta.url`): needed to run in worker threads
   * or child processes, which import it and take the export `exportName` (default `default`).
   */
  module?: string | URL;
  exportName?: string;
}

/** A defined experiment (what {@link defineExperiment} returns). */
export interface Experiment<P = Record<string, unknown>> extends Readonly<ExperimentInput<P>> {
  readonly kind: "labbook.experiment";
  readonly versioning: Versioning;
}

/** Where a sweep stands, as the progress display and callback see it. */
export interface SweepProgress {
  total: number;
  done: number;
  failed: number;
  cancelled: number;
  skipped: number;
  running: number;
  remaining: number;
  /** Estimated milliseconds left (null until a run has finished). */
  etaMs: number | null;
  elapsedMs: number;
}

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions {
  /** Default: `openStore()` (`$LABBOOK_STORE` or `./labbook`). */
  store?: Store;
  /** Runs at once (default 1). */
  concurrency?: number;
  /** Skip runs already stored as `success`; rerun `cancelled` and `running` (interrupted) ones. */
  resume?: boolean;
  /** Rerun `failed` runs too (implies `resume`). */
  rerunFailed?: boolean;
  /** A run taking longer is failed with a `TIMEOUT` error (and its `signal` aborted). */
  timeoutMs?: number;
  /** `true`: a bar on a TTY, plain lines otherwise; or a callback. Default: a bar when stderr is a TTY. */
  progress?: boolean | ((p: SweepProgress) => void);
  /** Aborting it cancels the runs in flight and starts no more. */
  signal?: AbortSignal;
  /** Run the run function in worker threads or child processes (needs `experiment.module`). */
  workers?: "threads" | "processes";
  /** Handle SIGINT during the sweep (default true): cancel runs in flight, exit code 130. */
  handleSigint?: boolean;
}
