import type { SqlContext } from "../context.js";
import { chunks } from "../shared/encode.js";

/**
 * Each metric's summary value for each of `runPks` (NaN kept; runs without the metric left
 * out), read from `run_metrics` by its primary key `(run_pk, name)`.
 *
 * @example
 * (await readGroupValues(store.ctx, [1, 2, 3], ["acc"])).get("acc"); // Float64Array of up to 3 values
 */
export async function readGroupValues(
  ctx: SqlContext,
  runPks: readonly number[],
  metrics: readonly string[],
): Promise<Map<string, Float64Array>> {
  const lists = new Map<string, number[]>(metrics.map((m) => [m, []]));
  for (const part of chunks([...runPks], 500)) {
    const rows = await ctx.db
      .selectFrom("run_metrics")
      .select(["run_pk", "name", "value", "nan"])
      .where("run_pk", "in", part)
      .where("name", "in", [...metrics])
      .orderBy("run_pk")
      .execute();
    for (const r of rows)
      lists.get(r.name)?.push(Number(r.nan) || r.value === null ? Number.NaN : Number(r.value));
  }
  return new Map([...lists].map(([m, l]) => [m, Float64Array.from(l)]));
}
