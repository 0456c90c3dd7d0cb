import { fromTaggedJson, type JsonObject, type JsonValue, toTaggedJson } from "../core/codec.js";
import { describeValue, invalid } from "../core/errors.js";
import type { MetricEntry, RunError, RunRecord } from "../core/types.js";
import { checkMetricName, checkNumber } from "../core/validate.js";
import type { RunCreate, RunWriteBatch } from "./types.js";

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

/** A checked metric entry, stamped now. */
export function metricEntry(
  name: string,
  value: unknown,
  step: number | undefined,
  field: string,
): MetricEntry {
  checkMetricName(name, field);
  checkNumber(value, field);
  if (step !== undefined && step !== null && (!Number.isSafeInteger(step) || step < 0)) {
    throw invalid("step", "must be a whole number >= 0", step);
  }
  return { name, value: value as number, step: step ?? null, timestamp: Date.now() };
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
