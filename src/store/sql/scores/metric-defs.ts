import { LabbookError } from "../../../core/errors.js";
import { parseExperimentRef } from "../../../core/validate.js";
import {
  checkMetricDefinition,
  type MetricDefinition,
  type MetricDefinitionInput,
} from "../../../scores/definitions.js";
import type { SqlContext } from "../context.js";
import { getExperiment } from "../runs/experiments.js";
import type { MetricDefsTable } from "../schema.js";

/** `name` or `name:version` (latest version) of an existing experiment; `NOT_FOUND` otherwise. */
export async function experimentKey(
  ctx: SqlContext,
  ref: string,
): Promise<{ name: string; version: string }> {
  const { name, version } = parseExperimentRef(ref);
  const info = await getExperiment(ctx, name, version);
  return { name: info.name, version: info.version };
}

function toDefinition(r: MetricDefsTable): MetricDefinition {
  return {
    experimentId: `${r.experiment_name}:${r.experiment_version}`,
    name: r.name,
    kind: r.kind as MetricDefinition["kind"],
    direction: r.direction as MetricDefinition["direction"],
    threshold: r.threshold === null ? null : JSON.parse(r.threshold),
    categories: r.categories === null ? null : JSON.parse(r.categories),
  };
}

/** Creates or replaces a metric definition; see {@link Store.defineMetric}. */
export async function defineMetric(
  ctx: SqlContext,
  experiment: string,
  input: MetricDefinitionInput,
): Promise<MetricDefinition> {
  const def = checkMetricDefinition(input);
  const exp = await experimentKey(ctx, experiment);
  const row: MetricDefsTable = {
    workspace: ctx.workspace,
    experiment_name: exp.name,
    experiment_version: exp.version,
    name: def.name,
    kind: def.kind,
    direction: def.direction,
    threshold: def.threshold === null ? null : JSON.stringify(def.threshold),
    categories: def.categories === null ? null : JSON.stringify(def.categories),
    updated_at: Date.now(),
  };
  await ctx.write(async (tx) => {
    const q = ctx.db
      .insertInto("metric_defs")
      .values(row)
      .onConflict((oc) =>
        oc.columns(["workspace", "experiment_name", "experiment_version", "name"]).doUpdateSet({
          kind: row.kind,
          direction: row.direction,
          threshold: row.threshold,
          categories: row.categories,
          updated_at: row.updated_at,
        }),
      );
    await tx.query(q.compile());
  });
  return toDefinition(row);
}

/** The metric definitions of an experiment version, by name; see {@link Store.getMetricDefinitions}. */
export async function getMetricDefinitions(ctx: SqlContext, experiment: string): Promise<MetricDefinition[]> {
  const exp = await experimentKey(ctx, experiment);
  return metricDefinitionsOf(ctx, exp.name, exp.version);
}

/** The metric definitions of `name:version` (no existence check). */
export async function metricDefinitionsOf(
  ctx: SqlContext,
  name: string,
  version: string,
): Promise<MetricDefinition[]> {
  const rows = await ctx.db
    .selectFrom("metric_defs")
    .selectAll()
    .where("workspace", "=", ctx.workspace)
    .where("experiment_name", "=", name)
    .where("experiment_version", "=", version)
    .orderBy("name")
    .execute();
  return rows.map(toDefinition);
}

/** A run's key, status and experiment; `NOT_FOUND` when unknown. */
export async function runWithExperiment(
  ctx: SqlContext,
  runId: string,
): Promise<{ id: number; status: string; experimentName: string; experimentVersion: string }> {
  const run = await ctx.db
    .selectFrom("runs")
    .select(["id", "status", "experiment_name", "experiment_version"])
    .where("workspace", "=", ctx.workspace)
    .where("run_id", "=", String(runId))
    .executeTakeFirst();
  if (!run) {
    throw new LabbookError("NOT_FOUND", `run ${runId} does not exist`, {
      field: "runId",
      details: { runId },
    });
  }
  return {
    id: Number(run.id),
    status: run.status,
    experimentName: run.experiment_name,
    experimentVersion: run.experiment_version,
  };
}
