import { compositeNames } from "../../../scores/composite-ast.js";
import { compileComposite } from "../../../scores/composite-eval.js";
import { parseComposite } from "../../../scores/composite-parse.js";
import type { AggregateFunction, CompositeDefinition } from "../../../scores/types.js";
import type { SqlContext } from "../context.js";
import { applyAggregate, orNull } from "./run-result-figures.js";

/** A run's summary metrics (NaN kept). */
async function runMetrics(ctx: SqlContext, runPk: number): Promise<Record<string, number>> {
  const rows = await ctx.db
    .selectFrom("run_metrics")
    .select(["name", "value", "nan"])
    .where("run_pk", "=", runPk)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.nan) ? Number.NaN : Number(r.value)]));
}

/**
 * Each composite per datapoint (its scores: the aggregate function over the datapoint's
 * trials; `metrics.<name>`: the run's summary value; a missing value reads as NaN) and
 * aggregated over the datapoints with the same function (NaN left out; `null` when none).
 */
export async function evaluateComposites(
  ctx: SqlContext,
  runPk: number,
  composites: readonly CompositeDefinition[],
  perDatapoint: ReadonlyMap<string, Float64Array>,
  datapoints: number,
  fn: AggregateFunction,
): Promise<{ perDatapoint: Map<string, Float64Array>; aggregates: Record<string, number | null> }> {
  const out = new Map<string, Float64Array>();
  const aggregates: Record<string, number | null> = {};
  if (composites.length === 0) return { perDatapoint: out, aggregates };
  const metrics = await runMetrics(ctx, runPk);
  for (const c of composites) {
    const ast = parseComposite(c.expression);
    const f = compileComposite(ast);
    const used = compositeNames(ast).scores;
    const scores: Record<string, number> = {};
    const env = { scores, metrics };
    const values = new Float64Array(datapoints);
    for (let d = 0; d < datapoints; d++) {
      for (const s of used) scores[s] = perDatapoint.get(s)?.[d] ?? Number.NaN;
      values[d] = f(env);
    }
    out.set(c.name, values);
    aggregates[c.name] = orNull(applyAggregate(fn, values));
  }
  return { perDatapoint: out, aggregates };
}
