import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { fromTaggedJson, toTaggedJson } from "../../core/codec.js";
import { invalid, isLabbookError, LabbookError } from "../../core/errors.js";
import { RUN_ID_RE } from "../../core/ids.js";
import {
  FINAL_STATUSES,
  type MetricEntry,
  type RowInput,
  RUN_STATUSES,
  type RunError,
  type RunStatus,
} from "../../core/types.js";
import {
  checkArtifactName,
  checkMetricName,
  checkNumber,
  checkTime,
  normalizeTags,
  parseExperimentRef,
} from "../../core/validate.js";
import { splitLines } from "../../scores/row-scores-jsonl.js";
import type { RunCreate, Store } from "../types.js";
import { checkRows } from "../validate-rows.js";
import { countProgress } from "./progress.js";

/** What {@link importRunsJsonl} did. */
export interface JsonlImportReport {
  /** Runs written. */
  runs: number;
  /** Runs already in the store (same id): left as they are. */
  skipped: number;
  rows: number;
  artifacts: number;
  /** Lines that could not be read or written, by 1-based line number; nothing of them is kept. */
  errors: { line: number; message: string }[];
}

/** A checked line, ready to write. */
interface RunPlan {
  create: RunCreate;
  metrics: MetricEntry[];
  rows: RowInput[];
  end: { status: RunStatus; error: RunError | null; finishedAt: number | null };
  artifacts: { name: string; kind: string; mediaType: string; bytes: Uint8Array }[];
  data: [string, unknown][];
  derived: Record<string, unknown>;
}

function object(v: unknown, field: string): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw invalid(field, "must be an object", v);
  return v as Record<string, unknown>;
}
function str(v: unknown, field: string): string {
  if (typeof v !== "string") throw invalid(field, "must be a string", v);
  return v;
}
function time(v: unknown, field: string): number | null {
  return v === null || v === undefined ? null : checkTime(v, field);
}

function seriesEntries(o: Record<string, unknown>): MetricEntry[] {
  const out: MetricEntry[] = [];
  for (const [name, s] of Object.entries(o)) {
    checkMetricName(name, `series.${name}`);
    const { steps, values, timestamps } = object(s, `series.${name}`) as Record<string, unknown[]>;
    if (
      !Array.isArray(steps) ||
      !Array.isArray(values) ||
      !Array.isArray(timestamps) ||
      steps.length !== values.length ||
      steps.length !== timestamps.length
    ) {
      throw invalid(`series.${name}`, "must hold steps, values and timestamps arrays of one length");
    }
    steps.forEach((step, i) => {
      if (!Number.isSafeInteger(step) || (step as number) < 0)
        throw invalid(`series.${name}.steps[${i}]`, "must be a whole number >= 0", step);
      const value = checkNumber(values[i], `series.${name}.values[${i}]`);
      out.push({
        name,
        value,
        step: step as number,
        timestamp: checkTime(timestamps[i], `series.${name}.timestamps[${i}]`),
      });
    });
  }
  return out;
}

/** Checks one decoded line whole, before anything of it is written. */
function planOf(o: Record<string, unknown>): RunPlan {
  if (o.labbook !== 1)
    throw invalid("labbook", "must be 1 (a run line written by labbook export --format jsonl)", o.labbook);
  const runId = str(o.runId, "runId");
  if (!RUN_ID_RE.test(runId)) throw invalid("runId", "must be 1-64 letters, digits, '_' or '-'", runId);
  const ref = parseExperimentRef(o.experiment, "experiment");
  if (!ref.version) throw invalid("experiment", "must be name:version", o.experiment);
  const status = o.status as RunStatus;
  if (!RUN_STATUSES.includes(status))
    throw invalid("status", `must be one of ${RUN_STATUSES.join(", ")}`, o.status);
  const params = object(o.params ?? {}, "params");
  toTaggedJson(params, "params");
  toTaggedJson(o.seed ?? null, "seed");
  const tags = normalizeTags(o.tags as Record<string, string>, "tags");
  const fp = object(o.fingerprints, "fingerprints");
  const fingerprints = {
    paramsFingerprint: str(fp.paramsFingerprint, "fingerprints.paramsFingerprint"),
    seedFingerprint: str(fp.seedFingerprint, "fingerprints.seedFingerprint"),
    contextFingerprint: str(fp.contextFingerprint, "fingerprints.contextFingerprint"),
  };
  const startedAt = time(o.startedAt, "startedAt") ?? time(o.createdAt, "createdAt") ?? Date.now();
  const finishedAt = time(o.finishedAt, "finishedAt");
  const metrics = seriesEntries(object(o.series ?? {}, "series"));
  const last = new Map(metrics.map((m) => [m.name, m.value]));
  const at = finishedAt ?? startedAt;
  for (const [name, v] of Object.entries(object(o.metrics ?? {}, "metrics"))) {
    checkMetricName(name, `metrics.${name}`);
    const value = checkNumber(v, `metrics.${name}`);
    if (!last.has(name) || !Object.is(last.get(name), value))
      metrics.push({ name, value, step: null, timestamp: at });
  }
  const rows = checkRows((o.rows ?? []) as RowInput[]);
  const artifacts = ((o.artifacts ?? []) as unknown[]).map((a, i) => {
    const x = object(a, `artifacts[${i}]`);
    const name = checkArtifactName(x.name, `artifacts[${i}].name`);
    const bytes = new Uint8Array(Buffer.from(str(x.base64, `artifacts[${i}].base64`), "base64"));
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    if (x.digest !== undefined && x.digest !== digest)
      throw invalid(`artifacts[${i}].base64`, `does not match its digest ${String(x.digest)}`);
    return {
      name,
      kind: str(x.kind ?? "bytes", `artifacts[${i}].kind`),
      mediaType: str(x.mediaType ?? "application/octet-stream", `artifacts[${i}].mediaType`),
      bytes,
    };
  });
  const data = Object.entries(object(o.data ?? {}, "data")).map(([k, v]): [string, unknown] => {
    checkArtifactName(k, `data.${k}`);
    toTaggedJson(v, `data.${k}`);
    return [k, v];
  });
  const derived = object(o.derived ?? {}, "derived");
  toTaggedJson(derived, "derived");
  const error =
    o.error === null || o.error === undefined ? null : (object(o.error, "error") as unknown as RunError);
  const create: RunCreate = {
    experiment: `${ref.name}:${ref.version}`,
    runId,
    params,
    seed: o.seed ?? null,
    tags,
    startedAt,
    fingerprints,
    ...(typeof o.name === "string" ? { name: o.name } : {}),
    ...(typeof o.executionId === "string" ? { executionId: o.executionId } : {}),
  };
  return { create, metrics, rows, end: { status, error, finishedAt }, artifacts, data, derived };
}

async function writePlan(store: Store, plan: RunPlan): Promise<void> {
  const { runId } = plan.create;
  const [name, version] = plan.create.experiment.split(":") as [string, string];
  await store.ensureExperiment({ name, version });
  await store.writeRun(runId, { create: plan.create, metrics: plan.metrics, rows: plan.rows });
  try {
    for (const a of plan.artifacts)
      await store.putArtifact(runId, a.name, a.bytes, { kind: a.kind, mediaType: a.mediaType });
    for (const [k, v] of plan.data) await store.putData(runId, k, v);
    if (Object.keys(plan.derived).length > 0) await store.setDerived(runId, plan.derived);
    const status = plan.end.status;
    if ((FINAL_STATUSES as readonly RunStatus[]).includes(status)) {
      await store.writeRun(runId, {
        end: {
          status: status as "success" | "failed" | "cancelled",
          error: plan.end.error,
          ...(plan.end.finishedAt === null ? {} : { finishedAt: plan.end.finishedAt }),
        },
      });
    }
  } catch (e) {
    await store.deleteRun(runId).catch(() => undefined);
    throw e;
  }
}

/**
 * Reads runs written by `labbook export --format jsonl` (a file path, or text or byte chunks)
 * into `store`, each with the id, times, fingerprints, status, params, metrics, series, tags,
 * rows, artifacts, data and derived values its line holds. Idempotent: a run whose id is
 * already in the store is skipped. A line that is not a valid run line is reported with its
 * 1-based number and nothing of it is written; the other lines are imported.
 *
 * @example
 * const report = await importRunsJsonl(store, "./runs.jsonl");
 * if (report.errors.length > 0) console.error(report.errors);
 */
export async function importRunsJsonl(
  store: Store,
  source: string | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: { progress?: boolean } = {},
): Promise<JsonlImportReport> {
  const report: JsonlImportReport = { runs: 0, skipped: 0, rows: 0, artifacts: 0, errors: [] };
  const stream =
    typeof source === "string" ? (createReadStream(source) as AsyncIterable<Uint8Array>) : source;
  const bar = countProgress("import jsonl (lines)", null, Boolean(options.progress));
  let n = 0;
  try {
    for await (const text of splitLines(stream)) {
      n++;
      bar.tick();
      if (text.trim() === "") continue;
      try {
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch (e) {
          throw invalid("json", `is not valid JSON (${(e as Error).message})`);
        }
        const plan = planOf(object(fromTaggedJson(object(raw, "line")), "line"));
        const existing = await store.runStatuses([plan.create.runId]);
        if (existing[plan.create.runId] !== undefined) {
          report.skipped++;
          continue;
        }
        await writePlan(store, plan);
        report.runs++;
        report.rows += plan.rows.length;
        report.artifacts += plan.artifacts.length;
      } catch (e) {
        if (!isLabbookError(e) && !(e instanceof Error)) throw e;
        const message = e instanceof LabbookError || e instanceof Error ? e.message : String(e);
        report.errors.push({ line: n, message });
      }
    }
  } finally {
    bar.done();
  }
  return report;
}
