import { fromTaggedJson, setOwn, toTaggedJson } from "../core/codec.js";
import { invalid, LabbookError } from "../core/errors.js";
import { checkOptions } from "../core/known-keys.js";
import type {
  ArtifactDescriptor,
  DataDescriptor,
  MetricEntry,
  RowInput,
  RunRecord,
  TagsInput,
} from "../core/types.js";
import { checkArtifactName, checkTime, normalizeTags } from "../core/validate.js";
import { artifactPayload, type LogArtifactOptions } from "./artifact-payload.js";
import { markChecked } from "./checked.js";
import { installExitHooks } from "./exit-hooks.js";
import { unwatch, watch } from "./flush-ticker.js";
import { keepAlive, stopBeating } from "./heartbeat.js";
import { trackRun, untrackRun } from "./open-runs.js";
import { applyOp, applyOpNow, type RunOp } from "./run-ops.js";
import {
  createdRecord,
  type EndRunOptions,
  metricEntry as entry,
  type LogMetricOptions,
  type RunEnd,
  toRunError,
} from "./run-values.js";
import type { RunCreate, RunWriteBatch, Store } from "./types.js";
import { checkRows } from "./validate-rows.js";
import { END_RUN_KEYS, LOG_METRIC_KEYS, LOG_METRICS_KEYS } from "./validate-write.js";

export { type EndRunOptions, type LogMetricOptions, type RunEnd, toRunError } from "./run-values.js";

/** Buffered metric entries are written at least this often, and at the end of the run. */
const FLUSH_INTERVAL_MS = 1000;
const FLUSH_ENTRIES = 1000;

/** Distributes `Omit` over a union (each op without its promise callbacks). */
type NewOp = RunOp extends infer O ? (O extends RunOp ? Omit<O, "resolve" | "reject"> : never) : never;

/**
 * A running run. It exists in the store, as `running`, from the moment `startRun` returns.
 * Metrics and tags are buffered briefly and written in one transaction (about a second after
 * the first unwritten entry, at 1,000 entries, on `flush()`, with the next rows, and when the
 * run ends); rows, artifacts and data are queued at once. Every write of one run applies in
 * the order the calls were made, awaited or not. Every call validates its input first, so a bad
 * value fails the call that passed it, and nothing half-written is kept. Exactly one of
 * `finish()`, `fail(error)`, `cancel()` ends the run; any write after that is a
 * `FAILED_PRECONDITION` error. A run still open when its store is closed or the process ends
 * is written and ended for it (see the exit rules in docs/results.md).
 *
 * @example
 * const run = await store.startRun({ experiment: "mnist", params: { lr: 0.01 } });
 * await run.logMetric("loss", 0.3, { step: 1 });
 * await run.logRows([{ datapointId: "q1", scores: { exact_match: 1 } }]);
 * await run.finish();
 */
export class RunHandle {
  readonly runId: string;
  readonly #store: Store;
  #started: RunRecord | null;
  /** What the run was created from, kept to build {@link started} when it is first read. */
  readonly #created: RunCreate | null;
  #metrics: MetricEntry[] = [];
  #tags: Record<string, string> = {};
  #hasTags = false;
  #ended: RunEnd["status"] | null = null;
  #failure: unknown = null;
  /** Writes in call order; the first one is being applied. */
  readonly #queue: RunOp[] = [];

  private constructor(store: Store, runId: string, started: RunRecord | null, created: RunCreate | null) {
    this.#store = store;
    this.runId = runId;
    this.#started = started;
    this.#created = created;
  }

  /**
   * A handle over a run that its store has just written (status `running`): open until it
   * ends, and ended for the program by `store.close()` or the end of the process if it never does.
   *
   * @example
   * const handle = RunHandle.open(store, await store.createRun({ experiment: "x" }));
   */
  static open(store: Store, run: RunCreate | RunRecord): RunHandle {
    const handle =
      "fingerprints" in run
        ? new RunHandle(store, run.runId, null, run)
        : new RunHandle(store, run.runId, run, null);
    trackRun(store, handle);
    keepAlive(store, { runId: handle.runId }); // the store's heartbeat keeps it from reading crashed
    installExitHooks();
    return handle;
  }

  /** The record as it was when the run started. */
  get started(): RunRecord {
    this.#started ??= createdRecord(this.#created as RunCreate);
    return this.#started;
  }

  /** The run's status as this handle knows it: `running` until it ends. */
  get status(): string {
    return this.#ended ?? "running";
  }

  #checkOpen(what: string): void {
    if (this.#ended) {
      throw new LabbookError(
        "FAILED_PRECONDITION",
        `run ${this.runId} has ended (${this.#ended}); ${what} is not allowed after the run ends`,
        { field: "runId", details: { runId: this.runId, status: this.#ended } },
      );
    }
    if (this.#failure) throw this.#failure;
  }

  /** Logs one metric value; with `step` it extends the metric's series too; `timestamp` defaults to now. */
  async logMetric(name: string, value: number, options: LogMetricOptions = {}): Promise<void> {
    this.#checkOpen("logMetric");
    checkOptions(options, LOG_METRIC_KEYS, "logMetric");
    this.#metrics.push(entry(name, value, options, "name"));
    this.#schedule();
  }

  /** Logs several metrics at once (`{ loss: 0.3, acc: 0.9 }`), all at the same step. */
  async logMetrics(record: Record<string, number>, options: LogMetricOptions = {}): Promise<void> {
    this.#checkOpen("logMetrics");
    checkOptions(options, LOG_METRICS_KEYS, "logMetrics");
    if (record === null || typeof record !== "object")
      throw invalid("metrics", "must be a record of numbers", record);
    const batch = Object.entries(record).map(([k, v]) => entry(k, v, options, `metrics.${k}`));
    this.#metrics.push(...batch);
    this.#schedule();
  }

  /** Adds or replaces tags (a list of bare tags, or a key/value record). */
  async setTags(tags: TagsInput): Promise<void> {
    this.#checkOpen("setTags");
    for (const [k, v] of Object.entries(normalizeTags(tags))) setOwn(this.#tags, k, v);
    this.#hasTags = true;
    this.#schedule();
  }

  /**
   * Adds params to the run now, with any buffered metrics (values known only after setup, such
   * as a model's parameter count), as MLflow's `log_param` does at any time. Objects merge key
   * by key; a param the run already has keeps its value unless `replace` is set. A run whose
   * id derives from its params (the runner's, `runId: "deterministic"`) takes new params but
   * refuses another value for one it has (`FAILED_PRECONDITION` naming the param).
   *
   * @example
   * await run.logParams({ model: { nParams: 7_241_732_096 } });
   * await run.logParams({ lr: 0.05 }, { replace: true });
   */
  async logParams(params: Record<string, unknown>, options: { replace?: boolean } = {}): Promise<void> {
    this.#checkOpen("logParams");
    if (params === null || typeof params !== "object" || Array.isArray(params))
      throw invalid("params", "must be an object of JSON-like values", params);
    if (options.replace !== undefined && typeof options.replace !== "boolean")
      throw invalid("replace", "must be true or false", options.replace);
    // A copy: what is written is what was passed, whatever the caller does with its object next.
    const values = fromTaggedJson(toTaggedJson(params, "params")) as Record<string, unknown>;
    // Buffered writes go first, so that the params go alone: a refused change fails this call
    // only, with nothing else lost, and the run can still be written and ended.
    this.#queueBuffered();
    await this.#enqueue({
      kind: "batch",
      batch: { params: { values, ...(options.replace ? { replace: true } : {}) } },
    });
  }

  /** Writes rows (datapoints with scores), with any buffered metrics, after the writes before it. */
  async logRows(rows: readonly RowInput[]): Promise<void> {
    this.#checkOpen("logRows");
    // Copies: a caller may reuse its row objects once the call returns (checked as they were).
    const checked = markChecked(checkRows(rows).map((r) => ({ ...r, scores: { ...r.scores } })));
    await this.#enqueue({ kind: "batch", batch: this.#take({ rows: checked }) });
  }

  /**
   * Stores an artifact: a JSON value, text, bytes, or `{ path }` of a local file.
   * `kind` defaults to `json`, `text`, `bytes` or `file`.
   */
  async logArtifact(
    name: string,
    value: unknown,
    options: LogArtifactOptions = {},
  ): Promise<ArtifactDescriptor> {
    this.#checkOpen("logArtifact");
    checkArtifactName(name);
    const payload = artifactPayload(value, options);
    const source = payload.source as Uint8Array | { path: string };
    this.#queueBuffered();
    return this.#enqueue<ArtifactDescriptor>({ kind: "artifact", name, source, options: payload.options });
  }

  /** Stores structured data; arrays and typed arrays read back with their shape and dtype. */
  async logData(name: string, value: unknown): Promise<DataDescriptor> {
    this.#checkOpen("logData");
    checkArtifactName(name);
    // A copy, as the value was at the call (typed arrays and shapes kept).
    const copy = fromTaggedJson(toTaggedJson(value, `data.${name}`));
    this.#queueBuffered();
    return this.#enqueue<DataDescriptor>({ kind: "data", name, value: copy });
  }

  /** Writes what is buffered now, and waits for every write queued before. */
  async flush(): Promise<void> {
    await this.#enqueue({ kind: "batch", batch: this.#take({}) });
  }

  /** Ends the run as `success` (`finishedAt` defaults to now). */
  async finish(options: EndRunOptions = {}): Promise<void> {
    await this.#end("finish()", { status: "success", finishedAt: endedAt("finish()", options) });
  }

  /** Ends the run as `failed`, keeping the error's type, message and stack. */
  async fail(error: unknown, options: EndRunOptions = {}): Promise<void> {
    await this.#end("fail()", {
      status: "failed",
      error: toRunError(error),
      finishedAt: endedAt("fail()", options),
    });
  }

  /** Ends the run as `cancelled`. */
  async cancel(options: EndRunOptions = {}): Promise<void> {
    await this.#end("cancel()", { status: "cancelled", finishedAt: endedAt("cancel()", options) });
  }

  /**
   * Writes what the handle holds and, when the run is still open, ends it with `end`; waits
   * for every queued write. Never throws (a write that fails is given up): for
   * `store.close()` and the end of the process.
   *
   * @example
   * await run.endOpen({ status: "failed", error: { type: "Error", message: "ended without finish()", stack: null } });
   */
  async endOpen(end: RunEnd): Promise<void> {
    try {
      if (this.#ended) await this.#enqueue({ kind: "batch", batch: {} });
      else await this.#end(null, end);
    } catch {
      // given up: the store refused or is gone
    } finally {
      this.#release();
    }
  }

  /**
   * {@link endOpen} synchronously, now, through the store's synchronous writer: for a process
   * that is exiting. False (nothing done) when the store has none (stores over a network).
   *
   * @example
   * process.on("exit", () => run.endNow({ status: "failed", error: null }));
   */
  endNow(end: RunEnd): boolean {
    const writer = this.#store.syncWriter;
    if (!writer) return false;
    if (!this.#ended) {
      this.#ended = end.status;
      const batch = this.#take({ end: { ...end, finishedAt: end.finishedAt ?? Date.now() } });
      this.#queue.push({ kind: "batch", batch, resolve: ignore, reject: ignore });
    }
    // The first op may be in flight: the writer skips a batch already applied, and an artifact
    // or data item written twice is the same.
    for (const op of this.#queue.splice(0)) {
      try {
        applyOpNow(writer, this.runId, op);
      } catch {
        // the next write may still apply
      }
    }
    this.#release();
    return true;
  }

  /** Ends the run; `what` names the call, whose checks apply (none for {@link endOpen}). */
  async #end(what: string | null, end: RunEnd): Promise<void> {
    if (what !== null) this.#checkOpen(what);
    this.#ended = end.status;
    const batch = this.#take({
      end: { status: end.status, error: end.error, finishedAt: end.finishedAt ?? Date.now() },
    });
    try {
      await this.#enqueue({ kind: "batch", batch });
    } finally {
      this.#release();
    }
  }

  /** The run is no longer this handle's to end: no more heartbeat, not ended at exit. */
  #release(): void {
    untrackRun(this.#store, this);
    stopBeating(this.#store, { runId: this.runId });
  }

  /** Moves the buffered metrics and tags into `batch`. */
  #take(batch: RunWriteBatch): RunWriteBatch {
    unwatch(this);
    if (this.#metrics.length > 0) {
      batch.metrics = markChecked(this.#metrics); // each entry was checked as it was logged
      this.#metrics = [];
    }
    if (this.#hasTags) {
      batch.tags = this.#tags;
      this.#tags = {};
      this.#hasTags = false;
    }
    return batch;
  }

  /** Queues the buffered metrics and tags (if any) ahead of a write that comes after them. */
  #queueBuffered(): void {
    if (this.#metrics.length === 0 && !this.#hasTags) return;
    this.#enqueue({ kind: "batch", batch: this.#take({}) }).catch(ignore);
  }

  #schedule(): void {
    if (this.#metrics.length >= FLUSH_ENTRIES) {
      this.#queueBuffered();
      return;
    }
    watch(this, Date.now() + FLUSH_INTERVAL_MS, () => this.#queueBuffered());
  }

  #enqueue<T = void>(op: NewOp): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // The op object is the caller's own literal: settled in place, not copied with a spread.
      const queued = op as RunOp;
      queued.resolve = resolve as (value: unknown) => void;
      queued.reject = reject;
      this.#queue.push(queued);
      if (this.#queue.length === 1) void this.#pump();
    });
  }

  /** Applies queued writes one at a time, in call order. */
  async #pump(): Promise<void> {
    while (this.#queue.length > 0) {
      const op = this.#queue[0] as RunOp;
      try {
        op.resolve(await applyOp(this.#store, this.runId, op));
      } catch (e) {
        // Lost metrics, tags or rows fail the next calls; a failed end or file fails its own call.
        // A refused params change (logParams) fails that call only.
        if (op.kind === "batch" && !op.batch.end && !paramsOnly(op.batch)) this.#failure ??= e;
        op.reject(e);
      }
      if (this.#queue[0] === op) this.#queue.shift();
    }
  }
}

function ignore(): void {}

function paramsOnly(batch: RunWriteBatch): boolean {
  return batch.params !== undefined && !batch.create && !batch.metrics && !batch.tags && !batch.rows;
}

/** The end time a caller gave (its options checked), else now. */
function endedAt(what: string, options: EndRunOptions): number {
  checkOptions(options, END_RUN_KEYS, what.replace("()", ""));
  return options?.finishedAt === undefined ? Date.now() : checkTime(options.finishedAt, "finishedAt");
}
