import { type SqlBool, sql } from "kysely";
import { parseExperimentRef } from "../../../core/validate.js";
import type { MetricThreshold } from "../../../scores/definitions.js";
import type { SqlContext } from "../context.js";
import { metricDefinitionsOf } from "../scores/metric-defs.js";
import type { Bool } from "./dialect.js";

/**
 * Runs of the context's workspace, optionally of one experiment (`name` or `name:version`).
 *
 * @example
 * runScope(ctx, "sweep:1.0.0");
 */
export function runScope(ctx: SqlContext, experiment?: string): Bool {
  const ws = sql<SqlBool>`r.workspace = ${ctx.workspace}`;
  if (experiment === undefined) return ws;
  const exp = parseExperimentRef(experiment);
  if (exp.version === undefined) return sql<SqlBool>`(${ws} and r.experiment_name = ${exp.name})`;
  return sql<SqlBool>`(${ws} and r.experiment_name = ${exp.name} and r.experiment_version = ${exp.version})`;
}

/**
 * The pass thresholds of the metric definitions of a run's experiment version, by score name.
 *
 * @example
 * await runThresholds(ctx, "sweep", "1.0.0"); // Map { "f1" => { min: 0.5 } }
 */
export async function runThresholds(
  ctx: SqlContext,
  experimentName: string,
  experimentVersion: string,
): Promise<Map<string, MetricThreshold>> {
  const defs = await metricDefinitionsOf(ctx, experimentName, experimentVersion);
  const out = new Map<string, MetricThreshold>();
  for (const d of defs) if (d.threshold) out.set(d.name, d.threshold);
  return out;
}
