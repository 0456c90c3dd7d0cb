import { sql } from "kysely";
import type { RunCreate, RunWriteBatch } from "../../types.js";
import type { SqlContext } from "../context.js";
import { storeNumber } from "../shared/encode.js";
import { statement, type TxSteps } from "../write-tx.js";
import { applySummarySteps } from "./field-summaries.js";
import {
  type FieldLeaf,
  metricLeaf,
  paramLeaves,
  type RunColumns,
  runColumnLeaves,
  ScopedDeltas,
  SummaryDelta,
  type SummaryScope,
  tagLeaves,
  timeLeaf,
} from "./field-summary.js";
import { type RunLeaves, runRowLeaves, storedRunLeaves } from "./run-leaves.js";

/**
 * Steps of the write transactions that keep the field summaries (see `applySummarySteps`):
 * appended to the steps that write a run, so that a summary commits with its run. With the
 * deferred run index (SQLite) a run is summarized when the index reaches it
 * ({@link summarizeIndexedSteps}, from the run as stored then), and by its writes after that only:
 * a run's commit stays as small as the index keeps it.
 */

/** Whether the summaries hold run `pk` (they do unless the deferred run index has not reached it). */
export function* isSummarized(ctx: SqlContext, pk: number): TxSteps<boolean> {
  if (!ctx.dialect.deferredRunIndex) return true;
  const [r] = yield* statement<{ through: number }>(
    sql`select through from run_index where id = 1`.compile(ctx.db),
  );
  return pk <= Number(r?.through ?? 0);
}

/** Runs `(after, upto]` reached by the deferred run index, added to the summaries as stored now. */
export function* summarizeIndexedSteps(ctx: SqlContext, after: number, upto: number): TxSteps<void> {
  const runs = yield* storedRunLeaves(ctx, { after, upto });
  const deltas = new ScopedDeltas();
  deltas.addRuns(runs.values());
  for (const { scope, delta } of deltas.values()) yield* applySummarySteps(ctx, scope, delta);
}

/** A new run (its row, params and tags), counted in its experiment version. */
export function* summarizeNewRun(
  ctx: SqlContext,
  row: RunColumns & { workspace: string },
  create: RunCreate,
): TxSteps<void> {
  if (ctx.dialect.deferredRunIndex) return; // a new run is above the index: summarized when it gets there
  const delta = new SummaryDelta();
  delta.addRun([...runColumnLeaves(row), ...paramLeaves(create.params ?? {}), ...tagLeaves(create.tags)], 1);
  yield* applySummarySteps(ctx, scopeOf(row), delta);
}

/** Metrics written to a run: `had` names the metrics it had before (counted already). */
export function* summarizeMetrics(
  ctx: SqlContext,
  scope: SummaryScope,
  metrics: NonNullable<RunWriteBatch["metrics"]>,
  had: ReadonlySet<string>,
): TxSteps<void> {
  if (metrics.length === 0) return;
  const latest = new Map<string, FieldLeaf>();
  for (const m of metrics) {
    const n = storeNumber(m.value);
    latest.set(m.name, metricLeaf(m.name, n.value, n.nan));
  }
  const delta = new SummaryDelta();
  for (const [name, leaf] of latest) delta.add(leaf, had.has(name) ? 0 : 1);
  yield* applySummarySteps(ctx, scope, delta);
}

/** A run's experiment version, and the metric names among `names` that it has (counted already). */
export function* metricsHad(
  ctx: SqlContext,
  pk: number,
  names: readonly string[],
): TxSteps<{ scope: SummaryScope; had: Set<string> } | undefined> {
  const rows = yield* statement<{
    workspace: string;
    experiment_name: string;
    experiment_version: string;
    name: string | null;
  }>(
    sql`select r.workspace, r.experiment_name, r.experiment_version, m.name from runs as r
      left join run_metrics as m on m.run_pk = r.id and ${ctx.dialect.inArray(sql.ref("m.name"), [...new Set(names)], "text")}
      where r.id = ${pk}`.compile(ctx.db),
  );
  const first = rows[0];
  if (!first) return undefined;
  return { scope: scopeOf(first), had: new Set(rows.flatMap((r) => (r.name === null ? [] : [r.name]))) };
}

/** The run's row fields (columns, params, tags) now, to compare with after a change. */
export function* runRowBefore(ctx: SqlContext, pk: number): TxSteps<RunLeaves | undefined> {
  return (yield* runRowLeaves(ctx, [pk])).get(pk);
}

/** The change of a run's row fields since `before` ({@link runRowBefore}). */
export function* summarizeRowChange(ctx: SqlContext, pk: number, before: RunLeaves): TxSteps<void> {
  const after = (yield* runRowLeaves(ctx, [pk])).get(pk);
  const delta = new SummaryDelta();
  delta.addChange(before.leaves, after?.leaves ?? []);
  yield* applySummarySteps(ctx, before.scope, delta);
}

/** A run that was running (no end time, no duration) and has just ended. */
export function* summarizeEnd(ctx: SqlContext, pk: number): TxSteps<void> {
  const [r] = yield* statement<{
    workspace: string;
    experiment_name: string;
    experiment_version: string;
    finished_at: number | null;
    duration_ms: number | null;
  }>(
    sql`select workspace, experiment_name, experiment_version, finished_at, duration_ms from runs where id = ${pk}`.compile(
      ctx.db,
    ),
  );
  if (!r) return;
  const delta = new SummaryDelta();
  delta.addChange(
    [timeLeaf("finished_at", null), timeLeaf("duration_ms", null)],
    [timeLeaf("finished_at", r.finished_at), timeLeaf("duration_ms", r.duration_ms)],
  );
  yield* applySummarySteps(ctx, scopeOf(r), delta);
}

/** A run about to be deleted (or replaced): each of its fields loses the run. */
export function* summarizeDeletedRun(ctx: SqlContext, pk: number): TxSteps<void> {
  if (!(yield* isSummarized(ctx, pk))) return;
  const run = (yield* storedRunLeaves(ctx, [pk])).get(pk);
  if (!run) return;
  const delta = new SummaryDelta();
  delta.addRun(run.leaves, -1);
  yield* applySummarySteps(ctx, run.scope, delta);
}

/** A whole run's change since `before` (read by {@link storedRunLeaves}): derived values set. */
export function* summarizeRunChange(ctx: SqlContext, pk: number, before: RunLeaves): TxSteps<void> {
  if (!(yield* isSummarized(ctx, pk))) return;
  const after = (yield* storedRunLeaves(ctx, [pk])).get(pk);
  const delta = new SummaryDelta();
  delta.addChange(before.leaves, after?.leaves ?? []);
  yield* applySummarySteps(ctx, before.scope, delta);
}

function scopeOf(r: {
  workspace: string;
  experiment_name: string;
  experiment_version: string;
}): SummaryScope {
  return {
    workspace: r.workspace,
    experimentName: r.experiment_name,
    experimentVersion: r.experiment_version,
  };
}
