import type { CompareGroupsOptions, CompareRunsOptions } from "../../compare/types.js";
import { invalid } from "../../core/errors.js";
import type { CreateExperimentInput, StartRunInput } from "../../core/types.js";
import { mergeSearch } from "../../query/search-param.js";
import type { MetricDefinitionInput } from "../../scores/definitions.js";
import type { NemoAggregateScoresResult } from "../../scores/nemo-compat.js";
import type {
  AggregateRunsOptions,
  AggregateScoresOptions,
  AggregateScoresResult,
  CompositeDefinitionInput,
  QueryInput,
  RunResultOptions,
} from "../../scores/types.js";
import type {
  CreateExecutionInput,
  ExecutionManifest,
  ExecutionRef,
  ExecutionStatus,
  ImportExecutionInput,
  MergeOptions,
} from "../execution-methods.js";
import { stopBeating, stopHeartbeats } from "../heartbeat.js";
import { mergeStores } from "../merge/merge-stores.js";
import { endOpenRuns } from "../open-runs.js";
import { RunHandle } from "../run-handle.js";
import type { SearchRowsQuery, SearchRunsQuery } from "../search-methods.js";
import type {
  ArtifactSource,
  HeartbeatInput,
  ListRunsOptions,
  PutArtifactOptions,
  RunWrite,
  RunWriteBatch,
  Store,
  SyncRunWriter,
} from "../types.js";
import { withRun } from "../with-run.js";
import * as compare from "./compare/index.js";
import type { SqlContext } from "./context.js";
import * as executionObjects from "./executions/objects.js";
import * as executionRecords from "./executions/records.js";
import * as savedObjects from "./executions/saved.js";
import * as executionVersions from "./executions/versions.js";
import * as rowScoresIo from "./rows/row-scores-io.js";
import { summarizeExperiments } from "./runs/experiment-summaries.js";
import * as experiments from "./runs/experiments.js";
import { markCrashed, touch } from "./runs/liveness.js";
import * as extras from "./runs/run-extras.js";
import * as files from "./runs/run-files.js";
import { putArtifactNow, putDataNow } from "./runs/run-files-now.js";
import { createRun, prepareRun } from "./runs/runs-create.js";
import { deleteRun } from "./runs/runs-delete.js";
import { getRun, listRuns } from "./runs/runs-read.js";
import { writeRun, writeRunNow } from "./runs/runs-write.js";
import { writeRuns } from "./runs/runs-write-many.js";
import { downsampleSeries } from "./runs/series-downsample.js";
import { aggregateRuns } from "./scores/aggregate-runs.js";
import { aggregateScores } from "./scores/aggregate-scores.js";
import * as compositeDefs from "./scores/composite-defs.js";
import * as metricDefs from "./scores/metric-defs.js";
import { runResult } from "./scores/run-result.js";
import * as search from "./search/index.js";

/** A search query with its `search` parameter folded into `filter` (see `mergeSearch`). */
function withSearch(q: SearchRunsQuery | undefined): SearchRunsQuery | undefined {
  if (q?.search === undefined) return q;
  const { search: s, ...rest } = q;
  const filter = mergeSearch(q.filter, s, "runs");
  return filter === undefined ? rest : { ...rest, filter };
}

/**
 * The SQL run store: one implementation for every SQL dialect (SQLite, PostgreSQL), built
 * with Kysely. Each method's contract is documented on {@link Store}. Only SQLite writes
 * synchronously (`syncWriter`, for a process that is exiting).
 */
export class SqlStore implements Store {
  readonly ctx: SqlContext;
  /** Batches applied by this store object, so that one is applied once (see {@link writeRunNow}). */
  readonly #applied = new WeakSet<RunWriteBatch>();
  readonly syncWriter?: SyncRunWriter;

  constructor(ctx: SqlContext) {
    this.ctx = ctx;
    if (ctx.writeStepsNow && ctx.blobs.putNow) {
      this.syncWriter = {
        writeRun: (runId, batch) => writeRunNow(ctx, runId, batch, this.#applied),
        putArtifact: (runId, name, source, options) => putArtifactNow(ctx, runId, name, source, options),
        putData: (runId, name, value) => putDataNow(ctx, runId, name, value),
      };
    }
  }

  get uri(): string {
    return this.ctx.uri;
  }
  get workspace(): string {
    return this.ctx.workspace;
  }
  get heartbeatTimeoutMs(): number {
    return this.ctx.heartbeatTimeoutMs;
  }

  /**
   * Runs a read after the check that marks crashed runs and executions, when one is due
   * (see runs/liveness.ts): every read that shows a status goes through it.
   */
  #checked<T>(read: () => Promise<T>): Promise<T> {
    const due = markCrashed(this.ctx);
    return due ? due.then(read) : read();
  }

  async heartbeat(input: HeartbeatInput): Promise<void> {
    await touch(this.ctx, checkHeartbeat(input), Date.now());
  }

  /** The same database seen from another workspace. */
  withWorkspace(workspace: string): SqlStore {
    return new SqlStore({ ...this.ctx, workspace });
  }

  createExperiment(input: CreateExperimentInput) {
    return experiments.createExperiment(this.ctx, input);
  }
  ensureExperiment(input: CreateExperimentInput) {
    return experiments.ensureExperiment(this.ctx, input);
  }
  listExperiments() {
    return experiments.listExperiments(this.ctx);
  }
  summarizeExperiments() {
    return this.#checked(() => summarizeExperiments(this.ctx));
  }
  getExperiment(name: string, version?: string) {
    return experiments.getExperiment(this.ctx, name, version);
  }
  listVersions(name: string) {
    return experiments.listVersions(this.ctx, name);
  }

  startRun(input: StartRunInput): Promise<RunHandle> {
    // Chained rather than awaited in turn: the common case takes no extra turn of the microtask queue.
    return prepareRun(this.ctx, input).then((create) =>
      // visible to every reader from here on
      writeRun(this.ctx, create.runId, { create }).then(() => RunHandle.open(this, create)),
    );
  }
  withRun<T>(input: StartRunInput, fn: (run: RunHandle) => Promise<T> | T): Promise<T> {
    return withRun(this, input, fn);
  }
  createRun(input: StartRunInput) {
    return createRun(this.ctx, input);
  }
  prepareRun(input: StartRunInput) {
    return prepareRun(this.ctx, input);
  }
  writeRun(runId: string, batch: RunWriteBatch) {
    return writeRun(this.ctx, runId, batch, this.#applied);
  }
  writeRuns(writes: readonly RunWrite[]) {
    return writeRuns(this.ctx, writes);
  }
  putArtifact(runId: string, name: string, source: ArtifactSource, options: PutArtifactOptions) {
    return files.putArtifact(this.ctx, runId, name, source, options);
  }
  putData(runId: string, name: string, value: unknown) {
    return files.putData(this.ctx, runId, name, value);
  }
  setDerived(runId: string, values: Record<string, unknown>, options?: { overwrite?: boolean }) {
    return extras.setDerived(this.ctx, runId, values, options);
  }

  getRun(runId: string) {
    return this.#checked(() => getRun(this.ctx, runId));
  }
  listRuns(options?: ListRunsOptions) {
    return this.#checked(() => listRuns(this.ctx, options));
  }
  deleteRun(runId: string) {
    stopBeating(this, { runId });
    return deleteRun(this.ctx, runId);
  }
  getSeries(runId: string, name: string) {
    return extras.getSeries(this.ctx, runId, name);
  }
  listSeries(runId: string) {
    return extras.listSeries(this.ctx, runId);
  }
  downsampleSeries(runId: string, name: string, options: { maxPoints: number }) {
    return downsampleSeries(this.ctx, runId, name, options?.maxPoints);
  }
  iterateRowRecords(runId: string, options?: { batchSize?: number }) {
    return extras.iterateRowRecords(this.ctx, runId, options);
  }
  listArtifacts(runId: string) {
    return files.listArtifacts(this.ctx, runId);
  }
  listArtifactsOfRuns(runIds: readonly string[]) {
    return files.listArtifactsOfRuns(this.ctx, runIds);
  }
  countRowsOfRuns(runIds: readonly string[]) {
    return extras.countRowsOfRuns(this.ctx, runIds);
  }
  getArtifact(runId: string, name: string) {
    return files.getArtifact(this.ctx, runId, name);
  }
  openArtifact(runId: string, name: string) {
    return files.openArtifact(this.ctx, runId, name);
  }
  getData(runId: string, name: string) {
    return files.getData(this.ctx, runId, name);
  }
  listData(runId: string) {
    return files.listData(this.ctx, runId);
  }

  defineMetric(experiment: string, definition: MetricDefinitionInput) {
    return metricDefs.defineMetric(this.ctx, experiment, definition);
  }
  getMetricDefinitions(experiment: string) {
    return metricDefs.getMetricDefinitions(this.ctx, experiment);
  }
  rowScores(runId: string) {
    return rowScoresIo.rowScores(this.ctx, runId);
  }
  importRowScores(runId: string, stream: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>) {
    return rowScoresIo.importRowScores(this.ctx, runId, stream);
  }
  // --- scores and aggregates (issue 4): see ScoresMethods ---
  defineComposite(experiment: string, composite: CompositeDefinitionInput) {
    return compositeDefs.defineComposite(this.ctx, experiment, composite);
  }
  getCompositeDefinitions(experiment: string) {
    return compositeDefs.getCompositeDefinitions(this.ctx, experiment);
  }
  aggregateScores(
    runId: string,
    options: AggregateScoresOptions & { compat: "nemo" },
  ): Promise<NemoAggregateScoresResult>;
  aggregateScores(runId: string, options?: AggregateScoresOptions): Promise<AggregateScoresResult>;
  aggregateScores(runId: string, options?: AggregateScoresOptions) {
    return aggregateScores(this.ctx, runId, options);
  }
  aggregateRuns(options: AggregateRunsOptions) {
    return this.#checked(() => aggregateRuns(this.ctx, options));
  }
  runResult(runId: string, options?: RunResultOptions) {
    return this.#checked(() => runResult(this.ctx, runId, options));
  }
  // --- end scores and aggregates ---

  // --- runner: versions, executions, saved objects, merge (issue 6) ---
  latestVersion(name: string) {
    return executionVersions.latestVersion(this.ctx, name);
  }
  runStatuses(runIds: readonly string[]) {
    return this.#checked(() => executionVersions.runStatuses(this.ctx, runIds));
  }
  createExecution(input: CreateExecutionInput) {
    return executionRecords.createExecution(this.ctx, input);
  }
  importExecution(input: ImportExecutionInput) {
    return executionRecords.importExecution(this.ctx, input);
  }
  updateExecution(
    name: string,
    executionId: string,
    patch: { status?: ExecutionStatus; finishedAt?: number | null; manifest?: ExecutionManifest | null },
  ) {
    return executionRecords.updateExecution(this.ctx, name, executionId, patch);
  }
  listExecutions(name: string) {
    return this.#checked(() => executionRecords.listExecutions(this.ctx, name));
  }
  getExecution(name: string, ref?: ExecutionRef) {
    return this.#checked(() => executionRecords.getExecution(this.ctx, name, ref));
  }
  appendExecutionObjects(name: string, executionId: string, lines: readonly string[]) {
    return executionObjects.appendExecutionObjects(this.ctx, name, executionId, lines);
  }
  executionObjects(name: string, ref?: ExecutionRef) {
    return executionObjects.executionObjects(this.ctx, name, ref);
  }
  tagsMap(name: string, ref?: ExecutionRef) {
    return executionObjects.tagsMap(this.ctx, name, ref);
  }
  saveObject(name: string, objectName: string, value: unknown, ref?: ExecutionRef) {
    return savedObjects.saveObject(this.ctx, name, objectName, value, ref);
  }
  loadObject(name: string, objectName: string, ref?: ExecutionRef) {
    return savedObjects.loadObject(this.ctx, name, objectName, ref);
  }
  listObjects(name: string, ref?: ExecutionRef) {
    return savedObjects.listObjects(this.ctx, name, ref);
  }
  merge(other: Store, options?: MergeOptions) {
    return mergeStores(this, other, options);
  }
  // --- end runner ---

  // Comparison of runs (issue 5): see CompareMethods.
  compareRuns(newRunId: string, oldRunId: string, options?: CompareRunsOptions) {
    return compare.compareRuns(this.ctx, newRunId, oldRunId, options);
  }
  compareGroups(filterA: QueryInput, filterB: QueryInput, options: CompareGroupsOptions) {
    return this.#checked(() => compare.compareGroups(this.ctx, filterA, filterB, options));
  }

  // --- query and search (issue 3): see SearchMethods ---
  async searchRuns(query?: SearchRunsQuery) {
    return this.#checked(() => search.searchRuns(this.ctx, withSearch(query)));
  }
  async *iterateRuns(query?: SearchRunsQuery) {
    const q = withSearch(query);
    await markCrashed(this.ctx);
    yield* search.iterateRuns(this.ctx, q);
  }
  searchRows(runId: string, query?: SearchRowsQuery) {
    return search.searchRows(this.ctx, runId, query);
  }
  fieldCatalog(options?: { experiment?: string }) {
    return this.#checked(() => search.fieldCatalog(this.ctx, options));
  }
  // --- end query and search ---

  async close(): Promise<void> {
    await endOpenRuns(this);
    stopHeartbeats(this);
    await this.ctx.close();
  }
}

/** A heartbeat's input, checked: lists of run ids and of `{ name, executionId }`. */
function checkHeartbeat(input: HeartbeatInput): HeartbeatInput {
  const o = (input ?? {}) as { runIds?: unknown; executions?: unknown };
  if (o.runIds !== undefined && (!Array.isArray(o.runIds) || o.runIds.some((id) => typeof id !== "string"))) {
    throw invalid("runIds", "must be a list of run ids", o.runIds);
  }
  const execs = o.executions;
  if (
    execs !== undefined &&
    (!Array.isArray(execs) ||
      execs.some(
        (e) =>
          e === null ||
          typeof e !== "object" ||
          typeof e.name !== "string" ||
          typeof e.executionId !== "string",
      ))
  ) {
    throw invalid("executions", "must be a list of { name, executionId }", execs);
  }
  return input;
}
