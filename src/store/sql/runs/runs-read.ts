import type { Selectable } from "kysely";
import type { JsonValue } from "../../../core/codec.js";
import { decodeJson, setOwn } from "../../../core/codec.js";
import { invalid, LabbookError } from "../../../core/errors.js";
import type { RunRecord, RunStatus } from "../../../core/types.js";
import { parseExperimentRef } from "../../../core/validate.js";
import type { ListRunsOptions } from "../../types.js";
import { checkListRuns } from "../../validate-write.js";
import type { SqlContext } from "../context.js";
import type { RunsTable } from "../schema.js";
import { chunks, readNumber } from "../shared/encode.js";
import { isoTime } from "../shared/iso-time.js";
import { quickDecodeJson } from "../shared/quick-decode.js";

export type RunRow = Selectable<RunsTable>;

/** The internal key and status of a run of this workspace; `NOT_FOUND` when absent. */
export async function runKey(ctx: SqlContext, runId: string): Promise<{ id: number; status: string }> {
  const run = await ctx.db
    .selectFrom("runs")
    .select(["id", "status"])
    .where("workspace", "=", ctx.workspace)
    .where("run_id", "=", String(runId))
    .executeTakeFirst();
  if (!run)
    throw new LabbookError("NOT_FOUND", `run ${runId} does not exist`, {
      field: "runId",
      details: { runId },
    });
  return { id: Number(run.id), status: run.status };
}

/** Builds records for run rows, loading their metric summaries and derived values in bulk. */
export async function toRecords(ctx: SqlContext, rows: RunRow[]): Promise<RunRecord[]> {
  const metrics = new Map<number, Record<string, number>>();
  const derived = new Map<number, Record<string, JsonValue>>();
  for (const part of chunks(
    rows.map((r) => Number(r.id)),
    900,
  )) {
    const ms = await ctx.db
      .selectFrom("run_metrics")
      .select(["run_pk", "name", "value", "nan"])
      .where("run_pk", "in", part)
      .execute();
    for (const m of ms) {
      const rec = metrics.get(Number(m.run_pk)) ?? {};
      setOwn(rec, m.name, readNumber(m.value, m.nan));
      metrics.set(Number(m.run_pk), rec);
    }
    const ds = await ctx.db
      .selectFrom("run_derived")
      .select(["run_pk", "name", "value"])
      .where("run_pk", "in", part)
      .execute();
    for (const d of ds) {
      const rec = derived.get(Number(d.run_pk)) ?? {};
      setOwn(rec, d.name, decodeJson(d.value));
      derived.set(Number(d.run_pk), rec);
    }
  }
  return rows.map((r) => toRecord(r, metrics.get(Number(r.id)) ?? {}, derived.get(Number(r.id)) ?? {}));
}

/** A stored run row as a record, without its params, metrics and derived values. */
export function runColumns(
  r: Omit<RunRow, "params" | "workspace" | "id">,
): Omit<RunRecord, "params" | "metrics" | "derived"> {
  return {
    runId: r.run_id,
    experimentId: `${r.experiment_name}:${r.experiment_version}`,
    experimentName: r.experiment_name,
    experimentVersion: r.experiment_version,
    name: r.name,
    status: r.status as RunStatus,
    seed: quickDecodeJson(r.seed),
    tags: JSON.parse(r.tags),
    error: r.error ? JSON.parse(r.error) : null,
    createdAt: isoTime(Number(r.created_at)) as string,
    startedAt: isoTime(r.started_at === null ? null : Number(r.started_at)),
    finishedAt: isoTime(r.finished_at === null ? null : Number(r.finished_at)),
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    paramsFingerprint: r.params_fp,
    seedFingerprint: r.seed_fp,
    contextFingerprint: r.context_fp,
    executionId: r.execution_id,
  };
}

export function toRecord(
  r: RunRow,
  metrics: Record<string, number>,
  derived: Record<string, JsonValue>,
): RunRecord {
  return { ...runColumns(r), params: decodeJson(r.params), metrics, derived };
}

export async function getRun(ctx: SqlContext, runId: string): Promise<RunRecord> {
  const row = await ctx.db
    .selectFrom("runs")
    .selectAll()
    .where("workspace", "=", ctx.workspace)
    .where("run_id", "=", String(runId))
    .executeTakeFirst();
  if (!row)
    throw new LabbookError("NOT_FOUND", `run ${runId} does not exist`, {
      field: "runId",
      details: { runId },
    });
  const [rec] = await toRecords(ctx, [row]);
  return rec!;
}

export async function listRuns(ctx: SqlContext, options: ListRunsOptions = {}): Promise<RunRecord[]> {
  checkListRuns(options);
  const exp = options.experiment ? parseExperimentRef(options.experiment) : undefined;
  const statuses = options.status === undefined ? undefined : ([] as RunStatus[]).concat(options.status);
  const rows = await ctx.db
    .selectFrom("runs")
    .selectAll()
    .where("workspace", "=", ctx.workspace)
    .$if(exp !== undefined, (q) => q.where("experiment_name", "=", exp!.name))
    .$if(exp?.version !== undefined, (q) => q.where("experiment_version", "=", exp!.version!))
    .$if(statuses !== undefined, (q) => q.where("status", "in", statuses!))
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .$if(options.limit !== undefined, (q) => q.limit(options.limit!))
    .$if(options.offset !== undefined, (q) =>
      q.offset(options.offset!).$if(options.limit === undefined, (q2) => q2.limit(-1)),
    )
    .execute();
  return toRecords(ctx, rows);
}

/**
 * The keys of each of these runs of the workspace that exists (unknown ids left out), in parts
 * of at most 500 runs (one query each), each part by key. `INVALID_ARGUMENT` unless `runIds`
 * is a list of strings.
 *
 * @example
 * for (const part of await runKeyParts(ctx, ids)) for (const [pk, runId] of part) console.log(pk, runId);
 */
export async function runKeyParts(
  ctx: SqlContext,
  runIds: readonly string[],
): Promise<Map<number, string>[]> {
  if (!Array.isArray(runIds) || runIds.some((id) => typeof id !== "string"))
    throw invalid("runIds", "must be a list of run ids", runIds);
  const out: Map<number, string>[] = [];
  const unique = [...new Set(runIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await ctx.db
      .selectFrom("runs")
      .select(["id", "run_id"])
      .where("workspace", "=", ctx.workspace)
      .where("run_id", "in", unique.slice(i, i + 500))
      .execute();
    if (rows.length > 0) out.push(new Map(rows.map((r) => [Number(r.id), r.run_id])));
  }
  return out;
}
