import { toTaggedJson } from "../core/codec.js";
import { invalid } from "../core/errors.js";
import type { RunFingerprints } from "../core/fingerprints.js";
import { RUN_ID_RE } from "../core/ids.js";
import { checkKeys, checkOptions, type KnownKeys } from "../core/known-keys.js";
import { checkParamPaths } from "../core/param-paths.js";
import {
  FINAL_STATUSES,
  type MetricEntry,
  type RowInput,
  RUN_STATUSES,
  type RunError,
  type RunStatus,
  type StartRunInput,
} from "../core/types.js";
import {
  checkMetricName,
  checkNumber,
  checkText,
  checkTime,
  normalizeTags,
  parseExperimentRef,
} from "../core/validate.js";
import { isChecked } from "./checked.js";
import type { RunHandle } from "./run-handle.js";
import type {
  ListRunsOptions,
  PutArtifactOptions,
  RunCreate,
  RunParamsPatch,
  RunWriteBatch,
  Store,
} from "./types.js";
import { checkRows } from "./validate-rows.js";

/** The options of the recording API, each listing every key of its type (see `KnownKeys`). */
export const START_RUN_KEYS = {
  experiment: true,
  name: true,
  params: true,
  seed: true,
  context: true,
  tags: true,
  runId: true,
  ifExists: true,
  replaceIf: true,
  executionId: true,
  startedAt: true,
} as const satisfies KnownKeys<StartRunInput>;
const RUN_CREATE_KEYS = {
  ...START_RUN_KEYS,
  startedAt: true,
  fingerprints: true,
} as const satisfies KnownKeys<RunCreate>;
const FINGERPRINT_KEYS = {
  paramsFingerprint: true,
  seedFingerprint: true,
  contextFingerprint: true,
} as const satisfies KnownKeys<RunFingerprints>;
const BATCH_KEYS = {
  create: true,
  params: true,
  metrics: true,
  rows: true,
  tags: true,
  end: true,
} as const satisfies KnownKeys<RunWriteBatch>;
const PARAMS_PATCH_KEYS = { values: true, replace: true } as const satisfies KnownKeys<RunParamsPatch>;
const ENTRY_KEYS = {
  name: true,
  value: true,
  step: true,
  timestamp: true,
} as const satisfies KnownKeys<MetricEntry>;
const END_KEYS = { status: true, error: true, finishedAt: true } as const satisfies KnownKeys<
  NonNullable<RunWriteBatch["end"]>
>;
const ERROR_KEYS = { type: true, message: true, stack: true } as const satisfies KnownKeys<RunError>;
export const LIST_RUNS_KEYS = {
  experiment: true,
  status: true,
  limit: true,
  offset: true,
} as const satisfies KnownKeys<ListRunsOptions>;
export const PUT_ARTIFACT_KEYS = {
  kind: true,
  mediaType: true,
} as const satisfies KnownKeys<PutArtifactOptions>;
export const SET_DERIVED_KEYS = { overwrite: true } as const satisfies KnownKeys<
  NonNullable<Parameters<Store["setDerived"]>[2]>
>;
export const LOG_METRIC_KEYS = { step: true, timestamp: true } as const satisfies KnownKeys<
  NonNullable<Parameters<RunHandle["logMetric"]>[2]>
>;
export const LOG_METRICS_KEYS = { step: true, timestamp: true } as const satisfies KnownKeys<
  NonNullable<Parameters<RunHandle["logMetrics"]>[1]>
>;
/** Options of `finish`, `fail` and `cancel`. */
export const END_RUN_KEYS = { finishedAt: true } as const satisfies KnownKeys<
  NonNullable<Parameters<RunHandle["finish"]>[0]>
>;

/** Present and not marked checked by the call that logged it. */
function unchecked(v: unknown): boolean {
  return v !== undefined && (v === null || typeof v !== "object" || !isChecked(v));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The fields shared by a run's input and a prepared run, under `prefix` (`create.`). */
function checkRunFields(input: StartRunInput, prefix: string) {
  const params = input.params ?? {};
  if (!isRecord(params) || ArrayBuffer.isView(params)) {
    throw invalid(`${prefix}params`, "must be an object of JSON-like values", params);
  }
  const tagged = toTaggedJson(params, `${prefix}params`);
  checkParamPaths(params, `${prefix}params`);
  if (input.seed !== undefined) toTaggedJson(input.seed, `${prefix}seed`);
  if (input.context !== undefined) toTaggedJson(input.context, `${prefix}context`);
  if (input.name !== undefined && input.name !== null) checkText(input.name, `${prefix}name`, true);
  if (input.ifExists !== undefined && input.ifExists !== "error" && input.ifExists !== "replace") {
    throw invalid(`${prefix}ifExists`, 'must be "error" or "replace"', input.ifExists);
  }
  if (input.replaceIf !== undefined) {
    const list = input.replaceIf as unknown;
    if (!Array.isArray(list) || list.some((s) => !(RUN_STATUSES as readonly unknown[]).includes(s))) {
      throw invalid(
        `${prefix}replaceIf`,
        `must be a list of run statuses (${RUN_STATUSES.join(", ")})`,
        list,
      );
    }
    if (input.ifExists !== "replace") throw invalid(`${prefix}replaceIf`, 'needs ifExists: "replace"', list);
  }
  if (
    input.executionId !== undefined &&
    input.executionId !== null &&
    typeof input.executionId !== "string"
  ) {
    throw invalid(`${prefix}executionId`, "must be a string", input.executionId);
  }
  return { tagged, tags: normalizeTags(input.tags, `${prefix}tags`) };
}

/**
 * Checks a run's input (`startRun`, `createRun`, `prepareRun`) before anything is written:
 * known keys only, JSON-like params (no two leaves on one query path, no lone surrogates),
 * seed and context, a run id or `"deterministic"`, tags. Returns the params encoded as
 * tagged JSON and the tags normalised.
 *
 * @example
 * checkStartInput({ experiment: "mnist", parms: { lr: 0.1 } }); // throws: parms: ... did you mean "params"?
 */
export function checkStartInput(input: StartRunInput): { tagged: unknown; tags: Record<string, string> } {
  if (!isRecord(input)) throw invalid("run", "must be an object such as { experiment, params }", input);
  checkKeys(input, START_RUN_KEYS, "startRun");
  // Checked here too (prepareRun converts it later): a bad time must fail before the experiment is made.
  if (input.startedAt !== undefined) checkTime(input.startedAt, "startedAt");
  if (input.runId !== undefined && input.runId !== "deterministic" && !RUN_ID_RE.test(String(input.runId))) {
    throw invalid("runId", "must be 1-64 letters, digits, '_' or '-', or \"deterministic\"", input.runId);
  }
  return checkRunFields(input, "");
}

/** A prepared run sent to `writeRun` by another process (over HTTP): every field checked. */
function checkRunCreate(create: unknown): void {
  if (!isRecord(create)) throw invalid("create", "must be a prepared run (from prepareRun)", create);
  checkKeys(create, RUN_CREATE_KEYS, "a prepared run", "create.");
  const c = create as unknown as RunCreate;
  const ref = parseExperimentRef(c.experiment, "create.experiment");
  if (ref.version === undefined) {
    throw invalid("create.experiment", "must be name:version, as prepareRun resolved it", c.experiment);
  }
  if (typeof c.runId !== "string" || !RUN_ID_RE.test(c.runId)) {
    throw invalid("create.runId", "must be 1-64 letters, digits, '_' or '-'", c.runId);
  }
  if (!isRecord(c.tags)) throw invalid("create.tags", "must be a record of strings", c.tags);
  checkRunFields(c, "create.");
  if (typeof c.startedAt !== "number" || !Number.isFinite(c.startedAt)) {
    throw invalid("create.startedAt", "must be a time in milliseconds since the epoch", c.startedAt);
  }
  if (!isRecord(c.fingerprints)) throw invalid("create.fingerprints", "must be an object", c.fingerprints);
  checkKeys(c.fingerprints, FINGERPRINT_KEYS, "a run's fingerprints", "create.fingerprints.");
  for (const k of Object.keys(FINGERPRINT_KEYS) as (keyof RunFingerprints)[]) {
    checkText(c.fingerprints[k], `create.fingerprints.${k}`);
  }
}

function checkEntries(metrics: unknown): void {
  if (!Array.isArray(metrics)) throw invalid("metrics", "must be an array of metric entries", metrics);
  metrics.forEach((m: unknown, i) => {
    const at = `metrics[${i}]`;
    if (!isRecord(m)) throw invalid(at, "must be an object { name, value, step, timestamp }", m);
    checkKeys(m, ENTRY_KEYS, "a metric entry", `${at}.`);
    checkMetricName(m.name, `${at}.name`);
    checkNumber(m.value, `${at}.value`);
    if (m.step !== null && (!Number.isSafeInteger(m.step) || (m.step as number) < 0)) {
      throw invalid(`${at}.step`, "must be null or a whole number >= 0", m.step);
    }
    if (typeof m.timestamp !== "number" || !Number.isFinite(m.timestamp)) {
      throw invalid(`${at}.timestamp`, "must be a time in milliseconds since the epoch", m.timestamp);
    }
  });
}

function checkEnd(end: unknown): void {
  if (!isRecord(end)) throw invalid("end", "must be an object { status, error?, finishedAt? }", end);
  checkKeys(end, END_KEYS, "a run's end", "end.");
  if (!(FINAL_STATUSES as readonly unknown[]).includes(end.status)) {
    throw invalid("end.status", `must be one of ${FINAL_STATUSES.join(", ")}`, end.status);
  }
  const error = end.error;
  if (error !== undefined && error !== null) {
    if (!isRecord(error)) throw invalid("end.error", "must be { type, message, stack } or null", error);
    checkKeys(error, ERROR_KEYS, "a run's error", "end.error.");
    checkText(error.type, "end.error.type", true);
    checkText(error.message, "end.error.message", true);
    if (error.stack !== null && error.stack !== undefined) checkText(error.stack, "end.error.stack", true);
  }
  if (
    end.finishedAt !== undefined &&
    (typeof end.finishedAt !== "number" || !Number.isFinite(end.finishedAt))
  ) {
    throw invalid("end.finishedAt", "must be a time in milliseconds since the epoch", end.finishedAt);
  }
}

/**
 * Checks a batch for `writeRun` before anything is written: known keys at every level, a
 * prepared run, metric entries (names, numbers, steps, times), rows (see `checkRows`), tags and
 * the end. Parts already checked by the call that logged them are not walked again.
 *
 * @example
 * checkWriteBatch({ metrics: [{ name: "acc", value: "oops", step: null, timestamp: 0 }] }); // throws
 */
export function checkWriteBatch(batch: RunWriteBatch): void {
  if (!isRecord(batch))
    throw invalid("batch", "must be an object { create?, params?, metrics?, rows?, tags?, end? }", batch);
  checkKeys(batch, BATCH_KEYS, "writeRun");
  const { create, params, metrics, rows, tags, end } = batch as Record<keyof RunWriteBatch, unknown>;
  if (unchecked(create)) checkRunCreate(create);
  if (params !== undefined) checkParamsPatch(params);
  if (unchecked(metrics)) checkEntries(metrics);
  if (unchecked(rows)) checkRows(rows as RowInput[]);
  if (tags !== undefined) {
    if (!isRecord(tags)) throw invalid("tags", "must be a record of strings", tags);
    normalizeTags(tags as Record<string, string>);
  }
  if (end !== undefined) checkEnd(end);
}

/** A batch's params to merge: `{ values, replace? }`, the values JSON-like with one leaf per path. */
function checkParamsPatch(patch: unknown): void {
  if (!isRecord(patch)) throw invalid("params", "must be an object { values, replace? }", patch);
  checkKeys(patch, PARAMS_PATCH_KEYS, "writeRun params");
  const { values, replace } = patch as Record<keyof RunParamsPatch, unknown>;
  if (!isRecord(values) || ArrayBuffer.isView(values)) {
    throw invalid("params.values", "must be an object of JSON-like values", values);
  }
  toTaggedJson(values, "params");
  checkParamPaths(values, "params");
  if (replace !== undefined && typeof replace !== "boolean") {
    throw invalid("params.replace", "must be true or false", replace);
  }
}

/**
 * Checks the options of `listRuns`: known keys, statuses among {@link RUN_STATUSES}, `limit` and
 * `offset` whole numbers >= 0.
 *
 * @example
 * checkListRuns({ limit: 1.5 }); // throws: limit: must be a whole number >= 0; received 1.5
 */
export function checkListRuns(options: ListRunsOptions | undefined): void {
  checkOptions(options, LIST_RUNS_KEYS, "listRuns");
  if (options === undefined) return;
  if (options.experiment !== undefined) parseExperimentRef(options.experiment, "experiment");
  if (options.status !== undefined) {
    for (const s of ([] as unknown[]).concat(options.status)) {
      if (!RUN_STATUSES.includes(s as RunStatus)) {
        throw invalid("status", `must be one of ${RUN_STATUSES.join(", ")}`, s);
      }
    }
  }
  for (const k of ["limit", "offset"] as const) {
    const v = options[k];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) {
      throw invalid(k, "must be a whole number >= 0", v);
    }
  }
}
