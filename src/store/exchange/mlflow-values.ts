import { createHash } from "node:crypto";
import { RUN_ID_RE } from "../../core/ids.js";
import type { RunStatus } from "../../core/types.js";

/**
 * An MLflow param (always a string there) typed back: a number where the whole string is one
 * (`"0.01"`, `"64"`, `"1e-3"`), a boolean for `True`/`False`/`true`/`false`, else the string.
 *
 * @example
 * typedParam("0.01"); // 0.01
 * typedParam("True"); // true
 * typedParam('{"a": 1}'); // '{"a": 1}'
 */
export function typedParam(text: string): string | number | boolean {
  if (text === "True" || text === "true") return true;
  if (text === "False" || text === "false") return false;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n))) return n;
  }
  return text;
}

/** MLflow's run status as labbook's (a scheduled run, not started, is `running` as MLflow shows it). */
export const STATUS: Record<string, RunStatus> = {
  FINISHED: "success",
  FAILED: "failed",
  KILLED: "cancelled",
  RUNNING: "running",
  SCHEDULED: "running",
};

/** The labbook run id of an MLflow run: its own id when labbook takes it, else `mlflow-` and a hash of it. */
export function labbookRunId(mlflowRunId: string): string {
  if (RUN_ID_RE.test(mlflowRunId)) return mlflowRunId;
  return `mlflow-${createHash("sha256").update(mlflowRunId).digest("hex").slice(0, 32)}`;
}

/** An MLflow experiment name as a labbook one (other characters become `-`; at most 128). */
export function experimentName(name: string): string {
  let out = name
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[^A-Za-z0-9]+/, "");
  out = out.slice(0, 128).replace(/[^A-Za-z0-9]+$/, "") || "mlflow-experiment";
  return out;
}

/** An artifact's path in the run's folder as a labbook artifact name (`model/weights.json` is `model__weights.json`). */
export function artifactName(path: string): string {
  const name = path
    .split("/")
    .join("__")
    .replace(/[^A-Za-z0-9_.\-+=@ ]/g, "_")
    .replace(/\.{2,}/g, "_")
    .replace(/^[.\s]+/, "_")
    .trim();
  return name.slice(0, 200) || "_";
}

/** A typed param spelled back as MLflow would have stored it (booleans as Python's `True`/`False`). */
export function spelledParam(v: unknown): string {
  return typeof v === "boolean" ? (v ? "True" : "False") : String(v);
}
