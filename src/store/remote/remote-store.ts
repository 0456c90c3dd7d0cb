import type { CompareGroupsOptions, CompareRunsOptions } from "../../compare/types.js";
import { LabbookError } from "../../core/errors.js";
import { checkOptions } from "../../core/known-keys.js";
import type {
  ArtifactDescriptor,
  CreateExperimentInput,
  DownsampledSeries,
  ExperimentInfo,
  ExperimentSummary,
  MetricSeries,
  RowRecord,
  RunRecord,
  StartRunInput,
} from "../../core/types.js";
import type { MetricDefinition, MetricDefinitionInput } from "../../scores/definitions.js";
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
  MergeReport,
} from "../execution-methods.js";
import { DEFAULT_HEARTBEAT_TIMEOUT_MS, stopBeating, stopHeartbeats } from "../heartbeat.js";
import { mergeStores } from "../merge/merge-stores.js";
import { endOpenRuns } from "../open-runs.js";
import { RunHandle } from "../run-handle.js";
import type { SearchRowsQuery, SearchRunsQuery } from "../search-methods.js";
import { checkMaxPoints } from "../series-points.js";
import type {
  ArtifactSource,
  HeartbeatInput,
  ListRunsOptions,
  PutArtifactOptions,
  RunCreate,
  RunWrite,
  RunWriteBatch,
  Store,
} from "../types.js";
import { checkListRuns, SET_DERIVED_KEYS } from "../validate-write.js";
import { withRun } from "../with-run.js";
import { HttpClient, runPath } from "./http-client.js";
import { remoteAnalysis } from "./remote-analysis.js";
import { remoteExecutions } from "./remote-executions.js";
import { remoteFiles } from "./remote-files.js";
import { remoteSearch } from "./remote-search.js";
import { jsonLines, responseLines, streamBody } from "./streams.js";

/** What `GET /api/v1/session` says about the caller. */
export interface RemoteSession {
  workspace: string;
  role: "read" | "write" | "admin";
  limits: { maxPageSize: number; jsonLimitBytes: number; uploadLimitBytes: number };
  /** The server's heartbeat timeout (absent from older servers). */
  heartbeatTimeoutMs?: number;
}

const enc = encodeURIComponent;

/** A run's start as a request body: a `Date` start time goes as milliseconds. */
function startBody(input: StartRunInput): Record<string, unknown> {
  const at = input?.startedAt;
  return at instanceof Date ? { ...input, startedAt: at.getTime() } : { ...input };
}

/**
 * A store that speaks the {@link Store} contract over the labbook HTTP API, so every library
 * call works against a server unchanged. Made by `openStore("http://host:port", { apiKey })`;
 * errors come back as the {@link LabbookError} codes the server's store threw.
 *
 * @example
 * const store = await openStore("http://127.0.0.1:7878", { apiKey: process.env.LABBOOK_API_KEY });
 * const run = await store.startRun({ experiment: "mnist", params: { lr: 0.01 } });
 */
export class RemoteStore implements Store {
  readonly http: HttpClient;
  readonly session: RemoteSession;

  constructor(http: HttpClient, session: RemoteSession) {
    this.http = http;
    this.session = session;
  }

  /** Connects: checks the key and learns its workspace and the server's limits. */
  static async connect(baseUrl: string, apiKey?: string, timeoutMs?: number): Promise<RemoteStore> {
    const http = new HttpClient(baseUrl, apiKey, timeoutMs);
    return new RemoteStore(http, await http.json<RemoteSession>("GET", "/session"));
  }

  get uri(): string {
    return this.http.baseUrl;
  }
  get workspace(): string {
    return this.session.workspace;
  }
  /** The server's: it decides when a run reads crashed; this store's handles beat to its pace. */
  get heartbeatTimeoutMs(): number {
    return this.session.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  }
  heartbeat(input: HeartbeatInput): Promise<void> {
    return this.http.json("POST", "/heartbeat", { json: { ...input } });
  }

  createExperiment(input: CreateExperimentInput): Promise<ExperimentInfo> {
    return this.http.json("POST", "/experiments", { json: { ...input } });
  }
  ensureExperiment(input: CreateExperimentInput): Promise<ExperimentInfo> {
    return this.http.json("POST", "/experiments", { json: { ...input }, query: { if_exists: "return" } });
  }
  async listExperiments(): Promise<ExperimentInfo[]> {
    return (await this.http.json<{ data: ExperimentInfo[] }>("GET", "/experiments")).data;
  }
  async summarizeExperiments(): Promise<ExperimentSummary[]> {
    return (await this.http.json<{ data: ExperimentSummary[] }>("GET", "/experiment-summaries")).data;
  }
  getExperiment(name: string, version?: string): Promise<ExperimentInfo> {
    return this.http.json("GET", `/experiments/${enc(name)}`, { query: { version } });
  }

  /** Creates the run on the server (one request), so that it exists there once this returns. */
  async startRun(input: StartRunInput): Promise<RunHandle> {
    return RunHandle.open(this, await this.createRun(input));
  }
  withRun<T>(input: StartRunInput, fn: (run: RunHandle) => Promise<T> | T): Promise<T> {
    return withRun(this, input, fn);
  }
  createRun(input: StartRunInput): Promise<RunRecord> {
    return this.http.json("POST", "/runs", { json: startBody(input) });
  }
  prepareRun(input: StartRunInput): Promise<RunCreate> {
    return this.http.json("POST", "/runs/prepare", { json: startBody(input) });
  }
  writeRun(runId: string, batch: RunWriteBatch): Promise<void> {
    return this.http.json("POST", runPath(runId, "/batch"), { json: { ...batch } });
  }
  writeRuns(writes: readonly RunWrite[]): Promise<void> {
    const body = Array.isArray(writes)
      ? writes.map((w) => ({ runId: w?.runId, batch: { ...w?.batch } }))
      : writes;
    return this.http.json("POST", "/runs/batches", { json: { writes: body } });
  }
  putArtifact(runId: string, name: string, source: ArtifactSource, options: PutArtifactOptions) {
    return remoteFiles.putArtifact(this.http, runId, name, source, options);
  }
  putData(runId: string, name: string, value: unknown) {
    return remoteFiles.putData(this.http, runId, name, value);
  }
  setDerived(
    runId: string,
    values: Record<string, unknown>,
    options?: { overwrite?: boolean },
  ): Promise<void> {
    checkOptions(options, SET_DERIVED_KEYS, "setDerived");
    return this.http.json("PUT", runPath(runId, "/derived"), {
      json: { values, overwrite: options?.overwrite },
    });
  }

  getRun(runId: string): Promise<RunRecord> {
    return this.http.json("GET", runPath(runId));
  }
  /** Pages through the server's listing (its maximum page size at a time) up to `limit`. */
  async listRuns(options: ListRunsOptions = {}): Promise<RunRecord[]> {
    checkListRuns(options); // the options become query parameters: check them all here
    const status = options.status === undefined ? undefined : [options.status].flat().join(",");
    const out: RunRecord[] = [];
    let offset = options.offset ?? 0;
    const max = this.session.limits.maxPageSize;
    for (;;) {
      const want = options.limit === undefined ? max : Math.min(max, options.limit - out.length);
      if (want <= 0) return out;
      const page = await this.http.json<{ data: RunRecord[] }>("GET", "/runs", {
        query: { experiment: options.experiment, status, limit: want, offset },
      });
      out.push(...page.data);
      offset += page.data.length;
      if (page.data.length < want) return out;
    }
  }
  deleteRun(runId: string): Promise<void> {
    stopBeating(this, { runId });
    return this.http.json("DELETE", runPath(runId));
  }
  getSeries(runId: string, name: string): Promise<MetricSeries> {
    return this.http.json("GET", runPath(runId, `/series/${enc(name)}`));
  }
  async downsampleSeries(
    runId: string,
    name: string,
    options: { maxPoints: number },
  ): Promise<DownsampledSeries> {
    checkMaxPoints(options?.maxPoints);
    return this.http.json("GET", runPath(runId, `/series/${enc(name)}`), {
      query: { max_points: options.maxPoints },
    });
  }
  async listSeries(runId: string): Promise<string[]> {
    return (await this.http.json<{ data: string[] }>("GET", runPath(runId, "/series"))).data;
  }
  async *iterateRowRecords(runId: string, options?: { batchSize?: number }): AsyncGenerator<RowRecord> {
    checkOptions(options, { batchSize: true }, "iterateRowRecords"); // the server streams: no batch size to send
    const res = await this.http.request("GET", runPath(runId, "/rows.jsonl"));
    yield* jsonLines<RowRecord>(res.body);
  }
  listArtifacts(runId: string) {
    return remoteFiles.listArtifacts(this.http, runId);
  }
  listArtifactsOfRuns(runIds: readonly string[]): Promise<Record<string, ArtifactDescriptor[]>> {
    return this.http.json("POST", "/runs/artifacts", { json: { runIds } });
  }
  countRowsOfRuns(runIds: readonly string[]): Promise<Record<string, number>> {
    return this.http.json("POST", "/runs/row-counts", { json: { runIds } });
  }
  async getArtifact(
    runId: string,
    name: string,
  ): Promise<{ descriptor: ArtifactDescriptor; bytes: Uint8Array }> {
    const { descriptor, stream } = await this.openArtifact(runId, name);
    const parts: Uint8Array[] = [];
    for await (const c of stream) parts.push(c);
    return { descriptor, bytes: new Uint8Array(Buffer.concat(parts)) };
  }
  openArtifact(runId: string, name: string) {
    return remoteFiles.openArtifact(this.http, runId, name);
  }
  getData(runId: string, name: string) {
    return remoteFiles.getData(this.http, runId, name);
  }
  listData(runId: string) {
    return remoteFiles.listData(this.http, runId);
  }

  defineMetric(experiment: string, definition: MetricDefinitionInput): Promise<MetricDefinition> {
    return this.http.json("PUT", `/experiments/${enc(experiment)}/metric-definitions`, {
      json: { ...definition },
    });
  }
  async getMetricDefinitions(experiment: string): Promise<MetricDefinition[]> {
    const path = `/experiments/${enc(experiment)}/metric-definitions`;
    return (await this.http.json<{ data: MetricDefinition[] }>("GET", path)).data;
  }
  async *rowScores(runId: string): AsyncGenerator<string> {
    const res = await this.http.request("GET", runPath(runId, "/row-scores.jsonl"));
    yield* responseLines(res.body);
  }
  importRowScores(
    runId: string,
    stream: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  ): Promise<{ rows: number }> {
    return this.http.json("POST", runPath(runId, "/row-scores.jsonl"), {
      body: streamBody(stream),
      headers: { "content-type": "application/x-ndjson" },
    });
  }

  // --- search and field catalog (see SearchMethods) ---
  searchRuns(query?: SearchRunsQuery) {
    return remoteSearch.searchRuns(this.http, query);
  }
  iterateRuns(query?: SearchRunsQuery) {
    return remoteSearch.iterateRuns(this.http, this.session.limits.maxPageSize, query);
  }
  searchRows(runId: string, query?: SearchRowsQuery) {
    return remoteSearch.searchRows(this.http, runId, query);
  }
  fieldCatalog(options?: { experiment?: string }) {
    checkOptions(options, { experiment: true }, "fieldCatalog"); // sent as a query parameter
    return remoteSearch.fieldCatalog(this.http, options);
  }

  // --- scores, aggregates and comparisons (see ScoresMethods, CompareMethods) ---
  defineComposite(experiment: string, composite: CompositeDefinitionInput) {
    return remoteAnalysis.defineComposite(this.http, experiment, composite);
  }
  getCompositeDefinitions(experiment: string) {
    return remoteAnalysis.getCompositeDefinitions(this.http, experiment);
  }
  aggregateScores(
    runId: string,
    options: AggregateScoresOptions & { compat: "nemo" },
  ): Promise<NemoAggregateScoresResult>;
  aggregateScores(runId: string, options?: AggregateScoresOptions): Promise<AggregateScoresResult>;
  aggregateScores(runId: string, options?: AggregateScoresOptions) {
    return remoteAnalysis.aggregateScores(this.http, runId, options);
  }
  aggregateRuns(options: AggregateRunsOptions) {
    return remoteAnalysis.aggregateRuns(this.http, options);
  }
  runResult(runId: string, options?: RunResultOptions) {
    return remoteAnalysis.runResult(this.http, runId, options);
  }
  compareRuns(newRunId: string, oldRunId: string, options?: CompareRunsOptions) {
    return remoteAnalysis.compareRuns(this.http, newRunId, oldRunId, options);
  }
  compareGroups(filterA: QueryInput, filterB: QueryInput, options: CompareGroupsOptions) {
    return remoteAnalysis.compareGroups(this.http, filterA, filterB, options);
  }

  // --- versions, executions, saved objects, merge (see ExecutionMethods) ---
  listVersions(name: string) {
    return remoteExecutions.listVersions(this.http, name);
  }
  latestVersion(name: string) {
    return remoteExecutions.latestVersion(this.http, name);
  }
  createExecution(input: CreateExecutionInput) {
    return remoteExecutions.createExecution(this.http, input);
  }
  importExecution(input: ImportExecutionInput) {
    return remoteExecutions.importExecution(this.http, input);
  }
  updateExecution(
    name: string,
    executionId: string,
    patch: { status?: ExecutionStatus; finishedAt?: number | null; manifest?: ExecutionManifest | null },
  ) {
    return remoteExecutions.updateExecution(this.http, name, executionId, patch);
  }
  listExecutions(name: string) {
    return remoteExecutions.listExecutions(this.http, name);
  }
  getExecution(name: string, ref?: ExecutionRef) {
    return remoteExecutions.getExecution(this.http, name, ref);
  }
  appendExecutionObjects(name: string, executionId: string, lines: readonly string[]) {
    return remoteExecutions.appendExecutionObjects(this.http, name, executionId, lines);
  }
  executionObjects(name: string, ref?: ExecutionRef) {
    return remoteExecutions.executionObjects(this.http, name, ref);
  }
  saveObject(name: string, objectName: string, value: unknown, ref?: ExecutionRef) {
    return remoteExecutions.saveObject(this.http, name, objectName, value, ref);
  }
  loadObject(name: string, objectName: string, ref?: ExecutionRef) {
    return remoteExecutions.loadObject(this.http, name, objectName, ref);
  }
  listObjects(name: string, ref?: ExecutionRef) {
    return remoteExecutions.listObjects(this.http, name, ref);
  }
  tagsMap(name: string, ref?: ExecutionRef) {
    return remoteExecutions.tagsMap(this.http, name, ref);
  }
  runStatuses(runIds: readonly string[]) {
    return remoteExecutions.runStatuses(this.http, runIds);
  }
  /** Copies `other` into the server's store through the API (the generic merge over two stores). */
  merge(other: Store, options?: MergeOptions): Promise<MergeReport> {
    return mergeStores(this, other, options);
  }

  /** Ends the runs still open through this store and stops its heartbeats (each call is one request: nothing else to release). */
  async close(): Promise<void> {
    await endOpenRuns(this);
    stopHeartbeats(this);
  }
}
