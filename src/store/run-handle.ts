import { fromTaggedJson, type JsonObject, type JsonValue, setOwn, toTaggedJson } from "../core/codec.js";
import { describeValue, invalid, LabbookError } from "../core/errors.js";
import { checkOptions } from "../core/known-keys.js";
import type { MetricEntry, RowInput, RunError, RunRecord, TagsInput, TimeInput } from "../core/types.js";
import {
  checkArtifactName,
  checkMetricName,
  checkNumber,
  checkTime,
  normalizeTags,
} from "../core/validate.js";
import { artifactPayload, type LogArtifactOptions } from "./artifact-payload.js";
import { markChecked } from "./checked.js";
import { unwatch, watch } from "./flush-ticker.js";
import { keepAlive, stopBeating } from "./heartbeat.js";
import type { RunCreate, RunWriteBatch, Store } from "./types.js";
import { checkRows } from "./validate-rows.js";
import { END_RUN_KEYS, LOG_METRIC_KEYS, LOG_METRICS_KEYS } from "./validate-write.js";

/** Options of a metric value: its `step` (it then extends the metric's series) and `timestamp` (default now). */
export interface LogMetricOptions {
  step?: number;
  timestamp?: TimeInput;
}

/** Options of the call that ends a run: when it finished (default now). */
export interface EndRunOptions {
  finishedAt?: TimeInput;
}

/** Buffered metric entries are written at least this often, and at the end of the run. */
const FLUSH_INTERVAL_MS = 1000;
const FLUSH_ENTRIES = 1000;

/**
 * A running run. Metrics and tags are buffered briefly and written in one transaction
 * (about a second after the first unwritten entry, at 1,000 entries, on `flush()` and when the
 * run ends);
 * rows, artifacts and data are written at once. Every call validates its input first,
 * so a bad value fails the call that passed it, and nothing half-written is kept.
 * Exactly one of `finish()`, `fail(error)`, `cancel()` ends the run; any write after that
 * is a `FAILED_PRECONDITION` error.
 *
 * @example
 * const run = await store.startRun({ experiment: "mnist", params: { lr: 0.01 } });
 * await run.logMetric("loss", 0.3, { step: 1 });
 * await run.logRows([{ datapointId: "q1", scores: { exact_match: 1 } }]);
 * await run.finish();
 */
export class RunHandle {
  readonly runId: string;
  #started: RunRecord | null;
  /** What the run was prepared from, kept to build {@link started} when it is first read. */
  #prepared: RunCreate | null = null;
  readonly #store: Store;
  #metrics: MetricEntry[] = [];
  #tags: Record<string, string> = {};
  #hasTags = false;
  #ended: string | null = null;
  #pending: Promise<void> = Promise.resolve();
  #failure: unknown = null;

  /** A run not yet written: it is created with the first batch (at the latest after a second). */
  #create: RunCreate | null = null;

  constructor(store: Store, record: RunRecord) {
    this.#store = store;
    this.runId = record.runId;
    this.#started = record;
  }

  /** A handle over a prepared run, which is written with its first batch. */
  static start(store: Store, create: RunCreate): RunHandle {
    const handle = new RunHandle(store, { runId: create.runId } as RunRecord);
    handle.#started = null; // built from `create` if asked for (most runs never read it)
    handle.#prepared = create;
    handle.#create = create;
    handle.#schedule();
    return handle;
  }

  /** The record as it was when the run started. */
  get started(): RunRecord {
    this.#started ??= preparedRecord(this.#prepared as RunCreate);
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

  /** Writes rows (datapoints with scores) now, with any buffered metrics. */
  async logRows(rows: readonly RowInput[]): Promise<void> {
    this.#checkOpen("logRows");
    const checked = checkRows(rows);
    await this.#write({ rows: checked });
  }

  /**
   * Stores an artifact: a JSON value, text, bytes, or `{ path }` of a local file.
   * `kind` defaults to `json`, `text`, `bytes` or `file`.
   */
  async logArtifact(name: string, value: unknown, options: LogArtifactOptions = {}) {
    this.#checkOpen("logArtifact");
    checkArtifactName(name);
    const payload = artifactPayload(value, options);
    if (this.#create) await this.flush();
    return this.#store.putArtifact(this.runId, name, payload.source, payload.options);
  }

  /** Stores structured data; arrays and typed arrays read back with their shape and dtype. */
  async logData(name: string, value: unknown) {
    this.#checkOpen("logData");
    checkArtifactName(name);
    toTaggedJson(value, `data.${name}`);
    if (this.#create) await this.flush();
    return this.#store.putData(this.runId, name, value);
  }

  /** Writes what is buffered now. */
  async flush(): Promise<void> {
    await this.#write({});
  }

  /** Ends the run as `success` (`finishedAt` defaults to now). */
  async finish(options: EndRunOptions = {}): Promise<void> {
    await this.#end("finish()", { status: "success" }, options);
  }

  /** Ends the run as `failed`, keeping the error's type, message and stack. */
  async fail(error: unknown, options: EndRunOptions = {}): Promise<void> {
    await this.#end("fail()", { status: "failed", error: toRunError(error) }, options);
  }

  /** Ends the run as `cancelled`. */
  async cancel(options: EndRunOptions = {}): Promise<void> {
    await this.#end("cancel()", { status: "cancelled" }, options);
  }

  async #end(what: string, end: NonNullable<RunWriteBatch["end"]>, options: EndRunOptions): Promise<void> {
    this.#checkOpen(what);
    checkOptions(options, END_RUN_KEYS, what.replace("()", ""));
    const finishedAt =
      options?.finishedAt === undefined ? Date.now() : checkTime(options.finishedAt, "finishedAt");
    this.#ended = end.status;
    stopBeating(this.#store, { runId: this.runId });
    await this.#write({ end: { status: end.status, error: end.error, finishedAt } });
  }

  #schedule(): void {
    if (this.#metrics.length >= FLUSH_ENTRIES) {
      void this.#write({}).catch(() => undefined);
      return;
    }
    watch(this, Date.now() + FLUSH_INTERVAL_MS, () => void this.#write({}).catch(() => undefined));
  }

  /** Serialises writes so that batches reach the store in the order they were logged. */
  #write(extra: RunWriteBatch): Promise<void> {
    unwatch(this); // everything buffered goes with this batch
    const batch: RunWriteBatch = { ...extra };
    if (this.#create) {
      batch.create = this.#create;
      this.#create = null;
    }
    if (this.#metrics.length > 0) {
      batch.metrics = markChecked(this.#metrics); // each entry was checked as it was logged
      this.#metrics = [];
    }
    if (this.#hasTags) {
      batch.tags = this.#tags;
      this.#tags = {};
      this.#hasTags = false;
    }
    const run = this.#pending.then(async () => {
      if (!batch.create && !batch.metrics && !batch.tags && !batch.rows && !batch.end) return;
      try {
        await this.#store.writeRun(this.runId, batch);
        // Written and open: the store's heartbeat keeps it from reading crashed.
        if (batch.create && !batch.end && !this.#ended) keepAlive(this.#store, { runId: this.runId });
      } catch (e) {
        if (!batch.end || batch.create) this.#failure = e;
        throw e;
      }
    });
    this.#pending = run.catch(() => undefined);
    return run;
  }
}

function preparedRecord(c: RunCreate): RunRecord {
  const at = new Date(c.startedAt).toISOString();
  const [name, version] = c.experiment.split(":") as [string, string];
  return {
    runId: c.runId,
    experimentId: c.experiment,
    experimentName: name,
    experimentVersion: version,
    name: c.name ?? null,
    status: "running",
    params: fromTaggedJson(toTaggedJson(c.params, "params")) as JsonObject,
    seed: (c.seed ?? null) as JsonValue,
    tags: { ...c.tags },
    metrics: {},
    derived: {},
    error: null,
    createdAt: at,
    startedAt: at,
    finishedAt: null,
    durationMs: null,
    paramsFingerprint: c.fingerprints.paramsFingerprint,
    seedFingerprint: c.fingerprints.seedFingerprint,
    contextFingerprint: c.fingerprints.contextFingerprint,
    executionId: c.executionId ?? null,
  };
}

function entry(name: string, value: unknown, options: LogMetricOptions, field: string): MetricEntry {
  checkMetricName(name, field);
  checkNumber(value, field);
  const { step, timestamp } = options ?? {};
  if (step !== undefined && step !== null && (!Number.isSafeInteger(step) || step < 0)) {
    throw invalid("step", "must be a whole number >= 0", step);
  }
  const at = timestamp === undefined ? Date.now() : checkTime(timestamp, "timestamp");
  return { name, value: value as number, step: step ?? null, timestamp: at };
}

/** The `{ type, message, stack }` kept for a failed run, from anything thrown. */
export function toRunError(error: unknown): RunError {
  if (error instanceof Error) {
    return { type: error.name || error.constructor.name, message: error.message, stack: error.stack ?? null };
  }
  if (error && typeof error === "object" && "message" in error) {
    const o = error as { type?: unknown; message?: unknown; stack?: unknown };
    return {
      type: typeof o.type === "string" ? o.type : "Error",
      message: String(o.message),
      stack: typeof o.stack === "string" ? o.stack : null,
    };
  }
  return { type: "Error", message: typeof error === "string" ? error : describeValue(error), stack: null };
}
