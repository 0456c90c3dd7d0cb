import type { JsonObject, JsonValue } from "../core/codec.js";
import type {
  ArtifactDescriptor,
  DataDescriptor,
  ExperimentInfo,
  MetricSeries,
  RowRecord,
  RunError,
  RunRecord,
  RunStatus,
} from "../core/types.js";
import type { Store } from "../store/types.js";
import { decodeArtifact } from "./decode-artifact.js";
import { ExperimentCache } from "./experiment-cache.js";

/**
 * One run of a {@link Results}: its record's fields, and lazy access to what the store keeps
 * beside it (experiment, artifacts, data, metric series, rows).
 *
 * @example
 * const run = results.at(-1)!;
 * run.params.lr; run.metrics.test_acc; run.durationMs;
 * const weights = await run.artifact("weights");        // parsed JSON
 * const { steps, values } = await run.series("loss");
 * for await (const row of run.rows()) console.log(row.datapointId, row.scores);
 */
export class Run {
  /** The stored record (`derived` is updated in place by `results.computeDerived`). */
  readonly record: RunRecord;
  readonly #store: Store;
  readonly #experiments: ExperimentCache;

  constructor(record: RunRecord, store: Store, experiments: ExperimentCache = new ExperimentCache(store)) {
    this.record = record;
    this.#store = store;
    this.#experiments = experiments;
  }

  get runId(): string {
    return this.record.runId;
  }
  /** `name:version` of the run's experiment. */
  get experimentId(): string {
    return this.record.experimentId;
  }
  get name(): string | null {
    return this.record.name;
  }
  get status(): RunStatus {
    return this.record.status;
  }
  get params(): JsonObject {
    return this.record.params;
  }
  get seed(): JsonValue {
    return this.record.seed;
  }
  /** The latest value of each metric. */
  get metrics(): Record<string, number> {
    return this.record.metrics;
  }
  get tags(): Record<string, string> {
    return this.record.tags;
  }
  get error(): RunError | null {
    return this.record.error;
  }
  /** ISO time. */
  get createdAt(): string {
    return this.record.createdAt;
  }
  /** ISO time. */
  get startedAt(): string | null {
    return this.record.startedAt;
  }
  /** ISO time; null while running. */
  get finishedAt(): string | null {
    return this.record.finishedAt;
  }
  get durationMs(): number | null {
    return this.record.durationMs;
  }
  get paramsFingerprint(): string {
    return this.record.paramsFingerprint;
  }
  get seedFingerprint(): string {
    return this.record.seedFingerprint;
  }
  get contextFingerprint(): string {
    return this.record.contextFingerprint;
  }
  /** Derived values stored beside the run (see `results.computeDerived`). */
  get derived(): Record<string, JsonValue> {
    return this.record.derived;
  }

  /** The run's experiment: `experimentId, name, version, description, metadata, tags`. */
  experiment(): Promise<ExperimentInfo> {
    return this.#experiments.get(this.record.experimentId);
  }

  /**
   * An artifact's value: parsed JSON for the `json` kind, text for text kinds, bytes otherwise.
   * `NOT_FOUND` when the run has no artifact of that name.
   */
  async artifact(name: string): Promise<unknown> {
    const { descriptor, bytes } = await this.#store.getArtifact(this.runId, name);
    return decodeArtifact(descriptor, bytes);
  }

  /** Descriptors of the run's artifacts: `name, kind, mediaType, size, digest`. */
  artifacts(): Promise<ArtifactDescriptor[]> {
    return this.#store.listArtifacts(this.runId);
  }

  /** Structured data as logged (arrays and typed arrays keep shape and dtype). */
  data(name: string): Promise<unknown> {
    return this.#store.getData(this.runId, name);
  }

  /** Descriptors of the run's structured data: `name, dtype, shape`. */
  listData(): Promise<DataDescriptor[]> {
    return this.#store.listData(this.runId);
  }

  /** The whole series of a stepped metric (`{ steps, values, timestamps }`); empty when never logged. */
  series(name: string): Promise<MetricSeries> {
    return this.#store.getSeries(this.runId, name);
  }

  /** Names of the metrics logged with steps. */
  seriesNames(): Promise<string[]> {
    return this.#store.listSeries(this.runId);
  }

  /** The run's rows (datapoints with scores), streamed in `datapointId, trial` order. */
  rows(options?: { batchSize?: number }): AsyncIterable<RowRecord> {
    return this.#store.iterateRowRecords(this.runId, options);
  }

  /** The record, for `JSON.stringify`. */
  toJSON(): RunRecord {
    return this.record;
  }
}
