import type { Kysely } from "kysely";
import { LabbookError } from "../../core/errors.js";
import type { SqlContext } from "./context.js";
import type { Database } from "./schema.js";

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
] as const;

/** Deletes everything a run holds in the database, but the run row. */
export async function deleteRunChildren(trx: Kysely<Database>, runPk: number): Promise<void> {
  for (const t of CHILD_TABLES) await trx.deleteFrom(t).where("run_pk", "=", runPk).execute();
}

/** Deletes a run, its children and its artifact files. */
export async function deleteRun(ctx: SqlContext, runId: string): Promise<void> {
  const pk = await ctx.db.transaction().execute(async (trx) => {
    const run = await trx
      .selectFrom("runs")
      .select("id")
      .where("workspace", "=", ctx.workspace)
      .where("run_id", "=", runId)
      .executeTakeFirst();
    if (!run) throw new LabbookError("NOT_FOUND", `run ${runId} does not exist`, { field: "runId" });
    await deleteRunChildren(trx, run.id);
    await trx.deleteFrom("runs").where("id", "=", run.id).execute();
    return run.id;
  });
  await ctx.blobs.deletePrefix(runBlobPrefix(runId, pk));
}

/** The artifact folder of a run: unique per stored run, so a replaced run never sees old files. */
export function runBlobPrefix(runId: string, pk: number): string {
  return `${runId}-${pk}`;
}
