import { encodeJson } from "../../../core/codec.js";
import { invalid, LabbookError } from "../../../core/errors.js";
import type { RowInput } from "../../../core/types.js";
import { isChecked } from "../../checked.js";
import type { RunWriteBatch } from "../../types.js";
import { checkWriteBatch } from "../../validate-write.js";
import type { SqlContext } from "../context.js";
import { appendScoreColumns, rowIdWatermark } from "../rows/score-columns-write.js";
import { scoreColumns, storeNumber } from "../shared/encode.js";
import { boundOnce, type InsertSpec, insertSteps, statement, type TxSteps, writeSteps } from "../write-tx.js";
import { getExperiment } from "./experiments.js";
import {
  metricsHad,
  runRowBefore,
  summarizeEnd,
  summarizeMetrics,
  summarizeRowChange,
} from "./field-summary-steps.js";
import { INDEXED_THROUGH, syncAfterInsert } from "./run-index.js";
import { writeParamsSteps } from "./run-params-write.js";
import { insertRun } from "./runs-create.js";
import { runBlobPrefix } from "./runs-delete.js";

/**
 * Applies a batch to a running run in one transaction; see {@link Store.writeRun}. With `once`,
 * a batch object in it is skipped, and the batch is added to it when it commits (in the same
 * synchronous turn on SQLite), so that a batch is applied once whichever of this and
 * {@link writeRunNow} gets to it first.
 */
export function writeRun(
  ctx: SqlContext,
  runId: string,
  batch: RunWriteBatch,
  once?: WeakSet<RunWriteBatch>,
): Promise<void> {
  try {
    checkWriteBatch(batch);
  } catch (e) {
    return Promise.reject(e);
  }
  // A run prepared elsewhere (sent over HTTP) must name an experiment of this workspace.
  if (batch.create && !isChecked(batch.create)) {
    return checkRunExperiment(ctx, batch).then(() => commitRun(ctx, runId, batch, once));
  }
  return commitRun(ctx, runId, batch, once);
}

/** The transaction of {@link writeRun}, then what follows a new or replaced run (no extra await otherwise: the hot path). */
function commitRun(
  ctx: SqlContext,
  runId: string,
  batch: RunWriteBatch,
  once: WeakSet<RunWriteBatch> | undefined,
): Promise<void> {
  return writeSteps(
    ctx,
    () => (once?.has(batch) ? skip() : writeRunSteps(ctx, runId, batch)),
    once ? () => once.add(batch) : undefined,
  ).then((written) =>
    written.replacedPk === null && written.createdPk === null ? undefined : afterInsert(ctx, runId, written),
  );
}

async function afterInsert(ctx: SqlContext, runId: string, written: RunWritten): Promise<void> {
  if (written.replacedPk !== null) await ctx.blobs.deletePrefix(runBlobPrefix(runId, written.replacedPk));
  if (written.createdPk !== null) await syncAfterInsert(ctx, written.createdPk);
}

/**
 * The checks of {@link writeRun} made before its transaction. `experiments`: experiment refs
 * already found, skipped (and added to) when given.
 */
export async function checkRunWrite(
  ctx: SqlContext,
  batch: RunWriteBatch,
  experiments?: Set<string>,
): Promise<void> {
  checkWriteBatch(batch);
  await checkRunExperiment(ctx, batch, experiments);
}

/** A run prepared elsewhere (sent over HTTP) must name an experiment of this workspace. */
async function checkRunExperiment(
  ctx: SqlContext,
  batch: RunWriteBatch,
  experiments?: Set<string>,
): Promise<void> {
  if (batch.create && !isChecked(batch.create) && !experiments?.has(batch.create.experiment)) {
    const [name, version] = batch.create.experiment.split(":") as [string, string];
    await getExperiment(ctx, name, version);
    experiments?.add(batch.create.experiment);
  }
}

/**
 * {@link writeRun} synchronously, now (SQLite, at process exit). A replaced run's artifact
 * files are left for its next deletion (a run created at exit is not expected). Its batches
 * come from run handles, whose runs were prepared by `prepareRun` in this process (their
 * experiment exists).
 */
export function writeRunNow(
  ctx: SqlContext,
  runId: string,
  batch: RunWriteBatch,
  once?: WeakSet<RunWriteBatch>,
): void {
  if (!ctx.writeStepsNow) {
    throw new LabbookError("FAILED_PRECONDITION", `store ${ctx.uri} cannot write synchronously`);
  }
  if (once?.has(batch)) return;
  checkWriteBatch(batch);
  ctx.writeStepsNow(() => writeRunSteps(ctx, runId, batch));
  once?.add(batch);
}

// biome-ignore lint/correctness/useYield: steps that write nothing.
function* skip(): TxSteps<RunWritten> {
  return NOTHING_WRITTEN;
}

/** Keys of the run a batch created and of the run it replaced (`null` when none). */
export interface RunWritten {
  createdPk: number | null;
  replacedPk: number | null;
}

const NOTHING_WRITTEN: RunWritten = { createdPk: null, replacedPk: null };

/** The statements of {@link writeRun}. */
export function* writeRunSteps(ctx: SqlContext, runId: string, batch: RunWriteBatch): TxSteps<RunWritten> {
  if (batch.create) {
    if (batch.create.runId !== runId)
      throw invalid("create.runId", `must equal the run id ${runId}`, batch.create.runId);
    const create = batch.tags
      ? { ...batch.create, tags: { ...batch.create.tags, ...batch.tags } }
      : batch.create;
    const { pk, replacedPk } = yield* insertRun(ctx, create, batch.end);
    // A new run is above the deferred run index: its param leaves and metric values wait for it.
    if (batch.params) {
      const before = ctx.dialect.deferredRunIndex ? undefined : yield* runRowBefore(ctx, pk);
      yield* writeParamsSteps(ctx, pk, !ctx.dialect.deferredRunIndex, batch.params);
      if (before) yield* summarizeRowChange(ctx, pk, before);
    }
    yield* writeMetrics(ctx, pk, batch.metrics ?? [], ctx.dialect.deferredRunIndex ? 1 : 0);
    yield* writeRows(ctx, pk, batch.rows ?? [], true);
    const [expName, expVersion] = create.experiment.split(":") as [string, string];
    const scope = { workspace: ctx.workspace, experimentName: expName, experimentVersion: expVersion };
    if (!ctx.dialect.deferredRunIndex) yield* summarizeMetrics(ctx, scope, batch.metrics ?? [], new Set());
    return { createdPk: pk, replacedPk };
  }
  const [run] = yield* statement<RunState>(runState(ctx, runId));
  if (!run) throw new LabbookError("NOT_FOUND", `run ${runId} does not exist`, { field: "runId" });
  // A crashed run is written as a running one: its writer was only stalled (see liveness.ts).
  if (run.status !== "running" && run.status !== "crashed") {
    throw new LabbookError(
      "FAILED_PRECONDITION",
      `run ${runId} has ended (${run.status}); it can no longer be written`,
      {
        field: "runId",
        details: { runId, status: run.status },
      },
    );
  }
  const pk = Number(run.id);
  // Recorded for other processes' cached searches (where the store keeps a change feed).
  const tagged = batch.tags !== undefined && Object.keys(batch.tags).length > 0;
  // The field summaries: the run's row fields and metrics before this batch.
  // (A batch that only ends the run changes its end time and duration, from none: read after it.)
  // A run the deferred run index has not reached is summarized when it gets there, as it is then.
  const summarized = !(ctx.dialect.deferredRunIndex && pk > Number(run.through ?? 0));
  const rowBefore = summarized && (batch.params || tagged) ? yield* runRowBefore(ctx, pk) : undefined;
  const metricsBefore =
    summarized && batch.metrics?.length
      ? yield* metricsHad(
          ctx,
          pk,
          batch.metrics.map((m) => m.name),
        )
      : undefined;
  if (
    ctx.runChanges &&
    (batch.metrics?.length || batch.params || batch.end || tagged || run.status === "crashed")
  )
    yield* ctx.runChanges.recordSteps([pk]);
  // Indexed at once when the run index has passed the run (or there is none); otherwise the sync indexes it.
  const pending = ctx.dialect.deferredRunIndex && pk > Number(run.through ?? 0) ? 1 : 0;
  if (batch.params) yield* writeParamsSteps(ctx, pk, pending === 0, batch.params);
  yield* writeMetrics(ctx, pk, batch.metrics ?? [], pending);
  yield* writeRows(ctx, pk, batch.rows ?? []);
  if (batch.tags && Object.keys(batch.tags).length > 0) {
    const tags = JSON.stringify({ ...JSON.parse(run.tags), ...batch.tags });
    yield* statement(ctx.db.updateTable("runs").set({ tags }).where("id", "=", pk).compile());
    yield* insertSteps(
      ctx.db,
      TAGS_UPSERT,
      Object.entries(batch.tags).map(([key, value]) => [pk, key, value]),
    );
  }
  if (run.status === "crashed" && !batch.end) {
    yield* statement(
      ctx.db
        .updateTable("runs")
        .set({ status: "running", heartbeat_at: Date.now() })
        .where("id", "=", pk)
        .compile(),
    );
  }
  if (batch.end) {
    const finishedAt = batch.end.finishedAt ?? Date.now();
    const startedAt = run.started_at === null ? null : Number(run.started_at);
    const error = batch.end.error ? JSON.stringify(batch.end.error) : null;
    const duration = startedAt === null ? null : finishedAt - startedAt;
    yield* statement(endUpdate(ctx, [batch.end.status, finishedAt, duration, error, pk]));
  }
  if (rowBefore) yield* summarizeRowChange(ctx, pk, rowBefore);
  else if (summarized && batch.end) yield* summarizeEnd(ctx, pk);
  if (metricsBefore)
    yield* summarizeMetrics(ctx, metricsBefore.scope, batch.metrics ?? [], metricsBefore.had);
  return NOTHING_WRITTEN;
}

/** The update that ends a run: `[status, finished_at, duration_ms, error, id]`. */
function endUpdate(ctx: SqlContext, values: unknown[]) {
  return boundOnce(
    ctx.db,
    "end-run",
    (p) =>
      ctx.db
        .updateTable("runs")
        .set({
          status: p[0] as string,
          finished_at: p[1] as number,
          duration_ms: p[2] as number,
          error: p[3] as string,
        })
        .where("id", "=", p[4] as number),
    values,
  );
}

const TAGS_UPSERT: InsertSpec = {
  table: "run_tags",
  columns: ["run_pk", "key", "value"],
  conflict: { target: ["run_pk", "key"], update: ["value"] },
};

interface RunState {
  id: number;
  status: string;
  started_at: number | null;
  tags: string;
  through: number | null;
}

/**
 * A run's key, status, start and tags, with the run index's mark (migration 7), the run locked
 * for this transaction where the dialect locks rows (writers of one run take turns).
 */
function runState(ctx: SqlContext, runId: string) {
  return boundOnce(
    ctx.db,
    "run-state",
    (p) =>
      ctx.db
        .selectFrom("runs")
        .select(["id", "status", "started_at", "tags"])
        .select(INDEXED_THROUGH.as("through"))
        .where("workspace", "=", p[0] as string)
        .where("run_id", "=", p[1] as string)
        .modifyEnd(ctx.dialect.lockRun),
    [ctx.workspace, String(runId)],
  );
}

// Pending (outside the metric-value index) for a run above the run index: see migrations 6 and 8.
const METRIC_COLUMNS = ["run_pk", "name", "value", "nan", "step", "ts", "pending"] as const;
const METRICS_UPSERT: InsertSpec = {
  table: "run_metrics",
  columns: METRIC_COLUMNS,
  conflict: { target: ["run_pk", "name"], update: ["value", "nan", "step", "ts", "pending"] },
};
const SERIES_INSERT: InsertSpec = {
  table: "metric_series",
  columns: ["run_pk", "name", "step", "value", "nan", "ts"],
};

function* writeMetrics(
  ctx: SqlContext,
  pk: number,
  metrics: NonNullable<RunWriteBatch["metrics"]>,
  pending: 0 | 1,
): TxSteps<void> {
  if (metrics.length === 0) return;
  const latest = new Map<string, (typeof metrics)[number]>();
  for (const m of metrics) latest.set(m.name, m);
  const summary = [...latest.values()].map((m) => {
    const n = storeNumber(m.value);
    return [pk, m.name, n.value, n.nan, m.step, m.timestamp, pending];
  });
  yield* insertSteps(ctx.db, METRICS_UPSERT, summary);
  const series: unknown[][] = [];
  for (const m of metrics) {
    if (m.step === null) continue;
    const n = storeNumber(m.value);
    series.push([pk, m.name, m.step, n.value, n.nan, m.timestamp]);
  }
  yield* insertSteps(ctx.db, SERIES_INSERT, series);
}

const ROW_COLUMNS = ["run_pk", "datapoint_id", "trial", "item", "output", "scores", "requests"] as const;
const SCORE_COLUMNS = ["run_pk", "row_pk", "name", "type", "num", "nan", "text"] as const;
const ROWS_UPSERT: InsertSpec = {
  table: "run_rows",
  columns: ROW_COLUMNS,
  conflict: { target: ["run_pk", "datapoint_id", "trial"], update: ["item", "output", "scores", "requests"] },
  returning: ["id", "datapoint_id", "trial"],
};
const SCORES_INSERT: InsertSpec = { table: "row_scores", columns: SCORE_COLUMNS };

/**
 * Inserts rows; a row with the same `datapointId` and `trial` as a stored one replaces it
 * (last write wins), scores included. `created`: the run was inserted by this transaction, so
 * it has no stored row to replace and no score chunk to extend (fewer statements).
 */
export function* writeRows(
  ctx: SqlContext,
  pk: number,
  rows: readonly RowInput[],
  created = false,
): TxSteps<void> {
  if (rows.length === 0) return;
  const unique = new Map<string, RowInput>();
  for (const r of rows) {
    const key = `${r.trial ?? 0}\u0000${r.datapointId}`;
    unique.delete(key);
    unique.set(key, r);
  }
  const values = [...unique.values()].map((r) => [
    pk,
    r.datapointId,
    r.trial ?? 0,
    encodeJson(r.item ?? null),
    encodeJson(r.output ?? null),
    encodeJson(r.scores),
    encodeJson(r.requests ?? null),
  ]);
  // Row ids only grow: an id at or below the mark belongs to a row that was replaced.
  const watermark = created ? 0 : yield* rowIdWatermark(ctx);
  const ids = yield* insertSteps<{ id: number; datapoint_id: string; trial: number }>(
    ctx.db,
    ROWS_UPSERT,
    values,
  );
  const idOf = new Map(ids.map((r) => [`${r.trial}\u0000${r.datapoint_id}`, Number(r.id)]));
  const rowPks = created ? [] : [...idOf.values()];
  for (let i = 0; i < rowPks.length; i += 10_000) {
    yield* statement(
      ctx.db
        .deleteFrom("row_scores")
        .where("row_pk", "in", rowPks.slice(i, i + 10_000))
        .compile(),
    );
  }
  const scores: unknown[][] = [];
  for (const r of unique.values()) {
    const rowPk = idOf.get(`${r.trial ?? 0}\u0000${r.datapointId}`)!;
    for (const [name, v] of Object.entries(r.scores)) {
      const c = scoreColumns(v);
      scores.push([pk, rowPk, name, c.type, c.num, c.nan, c.text]);
    }
  }
  yield* insertSteps(ctx.db, SCORES_INSERT, scores);
  const written = [...unique.values()].map((r) => ({
    rowPk: idOf.get(`${r.trial ?? 0}\u0000${r.datapointId}`)!,
    scores: r.scores,
  }));
  yield* appendScoreColumns(ctx, pk, written, watermark, created);
}
