// labbook's public API: every name is exported explicitly.

// Statistics and comparison
export { aggregateOf } from "./compare/aggregate.js";
export { isBinary, pairedTest } from "./compare/choose-test.js";
export { checkGroupOptions, compareGroupValues } from "./compare/compare-groups.js";
export { compareMetric, type MetricCompareOptions } from "./compare/compare-metric.js";
export { compareRunData, type RunSideData } from "./compare/compare-runs.js";
export { type CompareTarget, compareWith, type RunComparer } from "./compare/compare-with.js";
export { type CheckedCompareOptions, COMPARE_DEFAULTS, checkCompareOptions } from "./compare/options.js";
export {
  alignDatapoints,
  averageByDatapoint,
  type DatapointAlignment,
  type DatapointValues,
  type PairedValues,
  pairValues,
} from "./compare/pairing.js";
export type {
  CompareBy,
  CompareGroupsOptions,
  CompareGroupsResult,
  CompareRunsOptions,
  CompareRunsResult,
  CompareVerdict,
  GroupMetricComparison,
  MetricComparison,
  MetricSpec,
} from "./compare/types.js";
export { MIN_PAIRS, type Verdict, type VerdictOptions, verdictOf } from "./compare/verdict.js";
// Core values and types
export { canonicalJson, fingerprint, sha256Hex } from "./core/canonical.js";
export type { JsonObject, JsonValue, TypedArray } from "./core/codec.js";
export { decodeJson, encodeJson } from "./core/codec.js";
export type { ErrorCode, LabbookErrorOptions } from "./core/errors.js";
// Errors
export { ERROR_CODES, isLabbookError, LabbookError } from "./core/errors.js";
export type { RunFingerprints } from "./core/fingerprints.js";
export { deterministicRunId, runFingerprints } from "./core/fingerprints.js";
// Runner: experiments, sweeps, executions, versions, merge (issue 6)
export type { GraphNodeLine, GraphSlot } from "./core/object-graph.js";
export type {
  ArtifactDescriptor,
  CreateExperimentInput,
  DataDescriptor,
  ExperimentInfo,
  MetricEntry,
  MetricSeries,
  RowInput,
  RowRecord,
  RunError,
  RunRecord,
  RunStatus,
  ScoreValue,
  StartRunInput,
  TagsInput,
  TimeInput,
} from "./core/types.js";
export { FINAL_STATUSES, RUN_STATUSES } from "./core/types.js";
// Query: one query language in two syntaxes (see src/query/SEMANTICS.md), search in the store
export type { CompareOp, QueryKind, QueryNode, QueryScope, QueryValue } from "./query/ast.js";
export { junction } from "./query/ast.js";
export type { CellReader } from "./query/evaluate.js";
export { matchesCells, matchesRow, matchesRun } from "./query/evaluate.js";
export type { FieldRef } from "./query/fields.js";
export { FIELD_HELP, resolveField } from "./query/fields.js";
export { containsMatch, containsPattern, likeMatch } from "./query/like.js";
export type { ParseQueryInput } from "./query/parse.js";
export { parseQuery } from "./query/parse.js";
export { parseJsonQuery } from "./query/parse-json.js";
export { parseStringQuery } from "./query/parse-string.js";
export { printQuery, toJsonQuery } from "./query/print.js";
export { rowCell, rowPassed, runCell } from "./query/records.js";
export { mergeSearch, parseSearchParam, SEARCH_TEXT_FIELDS, type SearchParam } from "./query/search-param.js";
export type { SortKey } from "./query/sort.js";
export { DEFAULT_SORT, parseSort, sortRows, sortRuns } from "./query/sort.js";
export type { Cell } from "./query/values.js";
// Results
export { decodeArtifact } from "./results/decode-artifact.js";
export { Results } from "./results/results.js";
export { Run } from "./results/run.js";
export type {
  ComputeDerivedOptions,
  ComputeDerivedReport,
  CsvOptions,
  DerivedFn,
  DisplayOptions,
  FieldPredicate,
  FieldTest,
  FromStoreOptions,
  NumberStats,
  ResultsSummary,
  RunFilter,
  TableOptions,
  TableRow,
} from "./results/types.js";
export { defineExperiment, isExperiment } from "./runner/define.js";
export type { LoadedExecution } from "./runner/execution.js";
export { loadExecution, openExecution } from "./runner/execution.js";
export { SchemaBuilder } from "./runner/infer-schema.js";
export { loadExperimentModule } from "./runner/load-module.js";
export type { ParamConfig, ParamSpace } from "./runner/param-space.js";
export { expandParams } from "./runner/param-space.js";
export type { SweepReport } from "./runner/run-experiment.js";
export { executeExperiment, runExperiment } from "./runner/run-experiment.js";
export type { SampleOptions } from "./runner/sampler.js";
export {
  choice,
  Distribution,
  intBetween,
  isSampler,
  logUniform,
  Sampler,
  sample,
  seededRandom,
  uniform,
} from "./runner/sampler.js";
export { isTagged, Tagged, tag } from "./runner/tag.js";
export type {
  Capture,
  ExecutionHandle,
  Experiment,
  ExperimentInput,
  RunContext,
  RunExperimentOptions,
  RunFunction,
  SweepProgress,
  Versioning,
} from "./runner/types.js";
export { isRunnerWorker } from "./runner/workers/spawn.js";
export {
  COMPOSITE_FUNCTIONS,
  type CompositeFunction,
  type CompositeKind,
  type CompositeNode,
  compositeNames,
  type RefNamespace,
  walkComposite,
} from "./scores/composite-ast.js";
// Scores and aggregates
export { type CompiledComposite, type CompositeEnv, compileComposite } from "./scores/composite-eval.js";
export { parseComposite } from "./scores/composite-parse.js";
export {
  checkMetricDefinition,
  type MetricDefinition,
  type MetricDefinitionInput,
  type MetricDirection,
  type MetricThreshold,
  type ScoreKind,
} from "./scores/definitions.js";
export {
  type NemoAggregateScore,
  type NemoAggregateScoresResult,
  type NemoHistogramBin,
  type NemoPercentiles,
  type NemoRangeScore,
  type NemoRubricScore,
  type NemoRubricStat,
  type NemoScoreGroup,
  nemoRangeScore,
  nemoRubricScore,
} from "./scores/nemo-compat.js";
export { categoryOf, passes } from "./scores/pass-fail.js";
export {
  parseRowScoreLine,
  type RowScoreLine,
  readRowScores,
  rowScoreLine,
} from "./scores/row-scores-jsonl.js";
export {
  type AggregateFunction,
  type AggregateRunsOptions,
  type AggregateRunsResult,
  type AggregateScoresOptions,
  type AggregateScoresResult,
  type CompositeDefinition,
  type CompositeDefinitionInput,
  type DatapointResult,
  DEFAULT_BINS,
  DEFAULT_PERCENTILES,
  type Page,
  RANGE_FIELDS,
  type RangeField,
  type RangeFigures,
  type RangeScoreAggregate,
  RUBRIC_FIELDS,
  type RubricField,
  type RubricScoreAggregate,
  type RunGroupAggregate,
  type RunResult,
  type RunResultMetric,
  type RunResultOptions,
  type ScoreAggregate,
  type ScoreField,
  type ScoreGroup,
} from "./scores/types.js";
// Server and remote store (issue 7)
export { createServer } from "./server/app.js";
export type { Role } from "./server/env.js";
export { HTTP_STATUS } from "./server/errors.js";
export { HttpApiKeys } from "./server/keys/http-api-keys.js";
export { SqlApiKeys } from "./server/keys/sql-api-keys.js";
export type { ApiKeyInfo, ApiKeyStore, CreateApiKeyInput } from "./server/keys/types.js";
export type { ServerOptions } from "./server/options.js";
export { isLoopback, type RunningServer, type StartServerOptions, startServer } from "./server/start.js";
// Statistics and comparison: the tests
export { binomialTwoSided, normalTwoSided } from "./stats/binomial.js";
export {
  BOOTSTRAP_MAX,
  BOOTSTRAP_RESAMPLES,
  type BootstrapOptions,
  bootstrapMeanCi,
} from "./stats/bootstrap.js";
export {
  type Ddof,
  type DescribeOptions,
  type DescriptiveField,
  type DescriptiveFigures,
  describeValues,
  type Moments,
  moments,
} from "./stats/descriptive.js";
export { cohensDz } from "./stats/effect-size.js";
export { binEdges, type Histogram, histogram } from "./stats/histogram.js";
export { MCNEMAR_EXACT_MAX, type McNemarOptions, mcnemarTest } from "./stats/mcnemar.js";
export { percentileKey, percentiles } from "./stats/percentiles.js";
export {
  PERMUTATION_EXACT_MAX,
  PERMUTATION_RESAMPLES,
  PERMUTATION_SAMPLED_MAX,
  type PermutationOptions,
  pairedPermutationTest,
} from "./stats/permutation.js";
export { createRng, DEFAULT_SEED } from "./stats/prng.js";
export {
  RANK_PERCENTILES,
  type RankHistogramBin,
  rankHistogram,
  rankPercentile,
} from "./stats/rank-figures.js";
export {
  type CategoryCount,
  categoryDistribution,
  compareCategories,
  countCategories,
  modeCategory,
} from "./stats/rubric.js";
export { SIGN_EXACT_MAX, type SignTestResult, signTest } from "./stats/sign-test.js";
export type { ConfidenceInterval, TestResult } from "./stats/types.js";
export { type SampleSummary, summarize, type WelchResult, welchTTest } from "./stats/welch.js";
export type { LogArtifactOptions } from "./store/artifact-payload.js";
// Artifact stores (a folder, an S3-compatible bucket): also the object store of exports.
export { LocalBlobStore } from "./store/artifacts/local.js";
export { openBlobStore } from "./store/artifacts/open-blobs.js";
export type { S3BlobStore, S3BlobStoreOptions } from "./store/artifacts/s3.js";
export type { ArtifactBlobStore, BlobEntry } from "./store/artifacts/types.js";
// Statistics and comparison: the store methods
export type { CompareMethods } from "./store/compare-methods.js";
// Exchange: Scythe's Parquet layout, one-file exports, JSONL, MLflow import
export { blobExportTarget, blobSink } from "./store/exchange/blob-target.js";
export {
  type ExperimentExport,
  type ExportExperimentOptions,
  exportExperiment,
} from "./store/exchange/export-experiment.js";
export {
  type ExportTarget,
  localTarget,
  openExportTarget,
  registerExportScheme,
} from "./store/exchange/export-target.js";
export {
  type ExportedVersion,
  type ExportResults,
  latestExportResults,
  latestExportVersion,
  listExportVersions,
} from "./store/exchange/exports-listing.js";
export {
  importMlflow,
  type MlflowImportOptions,
  type MlflowImportReport,
  mlflowParams,
  openMlflowSource,
} from "./store/exchange/mlflow-import.js";
export type {
  MlflowExperiment,
  MlflowMetric,
  MlflowRun,
  MlflowSource,
} from "./store/exchange/mlflow-source.js";
export { exportRowsFile, type RowsFileOptions } from "./store/exchange/rows-file.js";
export { type RunLineOptions, runLine } from "./store/exchange/run-jsonl.js";
export { importRunsJsonl, type JsonlImportReport } from "./store/exchange/run-jsonl-import.js";
export { exportRunsFile, type RunsFileOptions } from "./store/exchange/runs-file.js";
export { s3ExportTarget } from "./store/exchange/s3-target.js";
export type {
  CreateExecutionInput,
  ExecutionManifest,
  ExecutionMethods,
  ExecutionRecord,
  ExecutionRef,
  ExecutionStatus,
  ImportExecutionInput,
  MergeOptions,
  MergeReport,
  SavedObjectInfo,
} from "./store/execution-methods.js";
export { DEFAULT_HEARTBEAT_TIMEOUT_MS } from "./store/heartbeat.js";
export { mergeStores } from "./store/merge/merge-stores.js";
export type { OpenStoreOptions } from "./store/open-store.js";
// Stores
export { openStore, registerStoreScheme } from "./store/open-store.js";
export { HttpClient } from "./store/remote/http-client.js";
export { openRemoteStore } from "./store/remote/register.js";
export { type RemoteSession, RemoteStore } from "./store/remote/remote-store.js";
export { type EndRunOptions, type LogMetricOptions, RunHandle, toRunError } from "./store/run-handle.js";
export type { ScoresMethods } from "./store/scores-methods.js";
export type {
  FieldInfo,
  Pagination,
  RunFieldSelection,
  SearchFilter,
  SearchMethods,
  SearchPage,
  SearchRow,
  SearchRowsQuery,
  SearchRun,
  SearchRunsQuery,
} from "./store/search-methods.js";
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./store/search-methods.js";
export type { PostgresStoreOptions } from "./store/sql/dialects/postgres/open.js";
export { openPostgresStore } from "./store/sql/dialects/postgres/open.js";
export type { SqliteStoreOptions } from "./store/sql/dialects/sqlite/open.js";
export { openSqliteStore } from "./store/sql/dialects/sqlite/open.js";
export { SqlStore } from "./store/sql/sql-store.js";
export type {
  ArtifactSource,
  ExecutionKey,
  HeartbeatInput,
  ListRunsOptions,
  PutArtifactOptions,
  RunWriteBatch,
  Store,
} from "./store/types.js";
