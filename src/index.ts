// labbook's public API: every name is exported explicitly.

// Core values and types
export { canonicalJson, fingerprint, sha256Hex } from "./core/canonical.js";
export type { JsonObject, JsonValue, TypedArray } from "./core/codec.js";
export { decodeJson, encodeJson } from "./core/codec.js";
export type { ErrorCode, LabbookErrorOptions } from "./core/errors.js";
// Errors
export { ERROR_CODES, isLabbookError, LabbookError } from "./core/errors.js";
export type { RunFingerprints } from "./core/fingerprints.js";
export { deterministicRunId, runFingerprints } from "./core/fingerprints.js";
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
} from "./core/types.js";
export { FINAL_STATUSES, RUN_STATUSES } from "./core/types.js";
export type { LogArtifactOptions } from "./store/artifact-payload.js";
export type { OpenStoreOptions } from "./store/open-store.js";
// Stores
export { openStore, registerStoreScheme } from "./store/open-store.js";
export { RunHandle, toRunError } from "./store/run-handle.js";
export { SqlStore } from "./store/sql/sql-store.js";
export type { SqliteStoreOptions } from "./store/sql/sqlite/open.js";
export { openSqliteStore } from "./store/sql/sqlite/open.js";
export type {
  ArtifactSource,
  ListRunsOptions,
  PutArtifactOptions,
  RunWriteBatch,
  Store,
} from "./store/types.js";
