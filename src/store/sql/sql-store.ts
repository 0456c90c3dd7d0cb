import type { CreateExperimentInput, StartRunInput } from "../../core/types.js";
import type { MetricDefinitionInput } from "../../scores/definitions.js";
import { RunHandle } from "../run-handle.js";
import type { ArtifactSource, ListRunsOptions, PutArtifactOptions, RunWriteBatch, Store } from "../types.js";
import type { SqlContext } from "./context.js";
import * as experiments from "./experiments.js";
import * as metricDefs from "./metric-defs.js";
import * as rowScoresIo from "./row-scores-io.js";
import * as extras from "./run-extras.js";
import * as files from "./run-files.js";
import { createRun, prepareRun } from "./runs-create.js";
import { deleteRun } from "./runs-delete.js";
import { getRun, listRuns } from "./runs-read.js";
import { writeRun } from "./runs-write.js";

/**
 * The SQL run store: one implementation for every SQL dialect (SQLite now, PostgreSQL
 * next), built with Kysely. Each method's contract is documented on {@link Store}.
 */
export class SqlStore implements Store {
  readonly ctx: SqlContext;
  constructor(ctx: SqlContext) {
    this.ctx = ctx;
  }

  get uri(): string {
    return this.ctx.uri;
  }
  get workspace(): string {
    return this.ctx.workspace;
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
  getExperiment(name: string, version?: string) {
    return experiments.getExperiment(this.ctx, name, version);
  }
  listVersions(name: string) {
    return experiments.listVersions(this.ctx, name);
  }

  async startRun(input: StartRunInput): Promise<RunHandle> {
    return RunHandle.start(this, await this.prepareRun(input));
  }
  createRun(input: StartRunInput) {
    return createRun(this.ctx, input);
  }
  prepareRun(input: StartRunInput) {
    return prepareRun(this.ctx, input);
  }
  writeRun(runId: string, batch: RunWriteBatch) {
    return writeRun(this.ctx, runId, batch);
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
    return getRun(this.ctx, runId);
  }
  listRuns(options?: ListRunsOptions) {
    return listRuns(this.ctx, options);
  }
  deleteRun(runId: string) {
    return deleteRun(this.ctx, runId);
  }
  getSeries(runId: string, name: string) {
    return extras.getSeries(this.ctx, runId, name);
  }
  listSeries(runId: string) {
    return extras.listSeries(this.ctx, runId);
  }
  iterateRowRecords(runId: string, options?: { batchSize?: number }) {
    return extras.iterateRowRecords(this.ctx, runId, options);
  }
  listArtifacts(runId: string) {
    return files.listArtifacts(this.ctx, runId);
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

  close(): Promise<void> {
    return this.ctx.close();
  }
}
