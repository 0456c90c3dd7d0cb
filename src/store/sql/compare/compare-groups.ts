import { checkGroupOptions, compareGroupValues } from "../../../compare/compare-groups.js";
import type { CompareGroupsOptions, CompareGroupsResult } from "../../../compare/types.js";
import type { QueryInput } from "../../../scores/types.js";
import type { SqlContext } from "../context.js";
import { selectRunPks } from "../search/run-filter.js";
import { readGroupValues } from "./group-values.js";

/**
 * Compares two groups of runs chosen by run filters; see `Store.compareGroups`. Each group's
 * runs come from `selectRunPks`, then each metric's summary values from `run_metrics`.
 *
 * @example
 * await compareGroups(store.ctx, "params.lr = 0.1", "params.lr = 0.01", { metrics: ["acc"] });
 */
export async function compareGroups(
  ctx: SqlContext,
  filterA: QueryInput,
  filterB: QueryInput,
  options: CompareGroupsOptions,
): Promise<CompareGroupsResult> {
  const { metrics, alpha } = checkGroupOptions(options);
  const pksA = await selectRunPks(ctx, filterA);
  const pksB = await selectRunPks(ctx, filterB);
  const a = await readGroupValues(ctx, pksA, metrics);
  const b = await readGroupValues(ctx, pksB, metrics);
  const values = new Map(metrics.map((m) => [m, [a.get(m)!, b.get(m)!] as [Float64Array, Float64Array]]));
  return compareGroupValues({ runsA: pksA.length, runsB: pksB.length, alpha }, values);
}
