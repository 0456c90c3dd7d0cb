import { sql } from "kysely";
import { parseQuery } from "../../../query/parse.js";
import type { SqlContext } from "../context.js";
import { syncRunIndex } from "../runs/run-index.js";
import { compileFilter } from "./compile-filter.js";
import { refersToParams } from "./param-refs.js";
import { runScope } from "./scope.js";

/**
 * The internal keys (`runs.id`, ascending) of the runs of `ctx.workspace` matching a filter in
 * either syntax (all runs when it is `undefined`), optionally of one experiment (`name` or
 * `name:version`). For aggregates and comparisons that then read their runs by key.
 * Errors: `INVALID_ARGUMENT` for a bad filter (naming its position or path).
 *
 * @example
 * const pks = await selectRunPks(store.ctx, 'metrics.acc > 0.5 and params.model = "b"');
 */
export async function selectRunPks(
  ctx: SqlContext,
  filter: string | Record<string, unknown> | undefined,
  options: { experiment?: string } = {},
): Promise<number[]> {
  const node = parseQuery(filter, "runs");
  if (refersToParams(node, "runs")) await syncRunIndex(ctx);
  const where = compileFilter(node, { dialect: ctx.dialect, scope: "runs", owner: "r" });
  const { rows } = await sql<{
    id: number;
  }>`select r.id from runs as r where ${runScope(ctx, options.experiment)} and ${where} order by r.id`.execute(
    ctx.db,
  );
  return rows.map((r) => Number(r.id));
}
