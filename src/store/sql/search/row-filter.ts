import { sql } from "kysely";
import { LabbookError } from "../../../core/errors.js";
import { parseQuery } from "../../../query/parse.js";
import type { SqlContext } from "../context.js";
import { compileFilter } from "./compile-filter.js";
import { runThresholds } from "./scope.js";

/**
 * A run of the workspace by internal key: its experiment (for metric definitions).
 *
 * @example
 * await runByPk(store.ctx, 1); // { experimentName: "sweep", experimentVersion: "1.0.0" }
 */
export async function runByPk(
  ctx: SqlContext,
  runPk: number,
): Promise<{ experimentName: string; experimentVersion: string }> {
  const run = await ctx.db
    .selectFrom("runs")
    .select(["experiment_name", "experiment_version"])
    .where("id", "=", runPk)
    .where("workspace", "=", ctx.workspace)
    .executeTakeFirst();
  if (!run) throw new LabbookError("NOT_FOUND", `run key ${runPk} does not exist`, { field: "runPk" });
  return { experimentName: run.experiment_name, experimentVersion: run.experiment_version };
}

/**
 * The `run_rows.id` keys (ascending) of the rows of run `runPk` matching a row filter in either
 * syntax (`datapoint_id`, `trial`, `item.*`, `output.*`, `scores.*`, `passed`; `passed` uses the
 * thresholds of the run's metric definitions). Errors: `INVALID_ARGUMENT` for a bad filter,
 * `NOT_FOUND` for an unknown run key.
 *
 * @example
 * const rowPks = await selectRowPks(store.ctx, runPk, "scores.exact_match = 0");
 */
export async function selectRowPks(
  ctx: SqlContext,
  runPk: number,
  filter: string | Record<string, unknown>,
): Promise<Float64Array> {
  const node = parseQuery(filter, "rows");
  const run = await runByPk(ctx, runPk);
  const thresholds = await runThresholds(ctx, run.experimentName, run.experimentVersion);
  const where = compileFilter(node, { dialect: ctx.dialect, scope: "rows", owner: "w", thresholds });
  const { rows } = await sql<{
    id: number;
  }>`select w.id from run_rows as w where w.run_pk = ${runPk} and ${where} order by w.id`.execute(ctx.db);
  return Float64Array.from(rows, (r) => Number(r.id));
}
