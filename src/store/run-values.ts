import { fromTaggedJson, type JsonObject, type JsonValue, toTaggedJson } from "../core/codec.js";
import { describeValue, invalid } from "../core/errors.js";
import type { MetricEntry, RunError, RunRecord, TimeInput } from "../core/types.js";
import { checkMetricName, checkNumber, checkTime } from "../core/validate.js";
import type { RunCreate, RunWriteBatch } from "./types.js";

/** Options of a metric value: its `step` (it then extends the metric's series) and `timestamp` (default now). */
export interface LogMetricOptions {
  step?: number;
  timestamp?: TimeInput;
}

/** Options of the call that ends a run: when it finished (default now). */
export interface EndRunOptions {
  finishedAt?: TimeInput;
}

/** How a run ends: its status, and the error of a failed run. */
export type RunEnd = NonNullable<RunWriteBatch["end"]>;

/** The error of a run that the program left open (the process ended, or its store was closed). */
export const NOT_FINISHED: RunError = { type: "Error", message: "ended without finish()", stack: null };

/** The record of a run just created from `c` (status `running`, nothing logged). */
export function createdRecord(c: RunCreate): RunRecord {
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

/** A checked metric entry, stamped with its `timestamp` (default now). */
export function metricEntry(
  name: string,
  value: unknown,
  options: LogMetricOptions,
  field: string,
): MetricEntry {
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
