import { LabbookError } from "../../../core/errors.js";
import type { SqlContext } from "../context.js";
import { statement, type TxSteps, writeSteps } from "../write-tx.js";
import { summarizeDeletedRun } from "./field-summary-steps.js";

const CHILD_TABLES = [
  "run_params",
  "run_metrics",
  "metric_series",
  "run_tags",
  "row_scores",
  "run_rows",
  "artifacts",
  "run_data",
  "run_derived",
  "score_chunks",
  "score_chunks_stale",
] as const;

/** Deletes everything a run holds in the database, but the run row (recorded as a change of the run). */
export function* deleteRunChildren(ctx: SqlContext, runPk: number): TxSteps<void> {
  yield* summarizeDeletedRun(ctx, runPk);
  for (const t of CHILD_TABLES) yield* statement(ctx.db.deleteFrom(t).where("run_pk", "=", runPk).compile());
  if (ctx.runChanges) yield* ctx.runChanges.recordSteps([runPk]);
}

/** Deletes a run, its children and its artifact files. */
export async function deleteRun(ctx: SqlContext, runId: string): Promise<void> {
  const pk = await writeSteps(ctx, function* () {
    const [run] = yield* statement<{ id: number }>(
      ctx.db
        .selectFrom("runs")
        .select("id")
        .where("workspace", "=", ctx.workspace)
        .where("run_id", "=", runId)
        .compile(),
    );
    if (!run) throw new LabbookError("NOT_FOUND", `run ${runId} does not exist`, { field: "runId" });
    yield* deleteRunChildren(ctx, Number(run.id));
    yield* statement(ctx.db.deleteFrom("runs").where("id", "=", run.id).compile());
    return Number(run.id);
  });
  await ctx.blobs.deletePrefix(runBlobPrefix(runId, pk));
}

/** The artifact folder of a run: unique per stored run, so a replaced run never sees old files. */
export function runBlobPrefix(runId: string, pk: number): string {
  return `${runId}-${pk}`;
}
