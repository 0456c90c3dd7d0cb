import { LabbookError } from "../../../core/errors.js";
import { checkKeys, type KnownKeys } from "../../../core/known-keys.js";
import { checkMetricName } from "../../../core/validate.js";
import { compositeNames } from "../../../scores/composite-ast.js";
import { parseComposite } from "../../../scores/composite-parse.js";
import type { CompositeDefinition, CompositeDefinitionInput } from "../../../scores/types.js";
import type { SqlContext } from "../context.js";
import { RESERVED_COLUMNS } from "../rows/score-columns-write.js";
import type { CompositeDefsTable } from "../schema.js";
import { experimentKey } from "./metric-defs.js";

/** The score and metric names an experiment version knows: defined metrics, logged scores and metrics. */
async function knownNames(ctx: SqlContext, name: string, version: string) {
  const runs = ctx.db
    .selectFrom("runs")
    .select("id")
    .where("workspace", "=", ctx.workspace)
    .where("experiment_name", "=", name)
    .where("experiment_version", "=", version);
  const [defs, scores, metrics] = await Promise.all([
    ctx.db
      .selectFrom("metric_defs")
      .select("name")
      .where("workspace", "=", ctx.workspace)
      .where("experiment_name", "=", name)
      .where("experiment_version", "=", version)
      .execute(),
    ctx.db
      .selectFrom("score_chunks")
      .select("name")
      .distinct()
      .where("run_pk", "in", runs)
      .where("name", "not in", RESERVED_COLUMNS)
      .execute(),
    ctx.db.selectFrom("run_metrics").select("name").distinct().where("run_pk", "in", runs).execute(),
  ]);
  // Runs whose chunks are stale still list their scores in row_scores.
  const stale = await ctx.db
    .selectFrom("row_scores")
    .select("name")
    .distinct()
    .where(
      "run_pk",
      "in",
      ctx.db.selectFrom("score_chunks_stale").select("run_pk").where("run_pk", "in", runs),
    )
    .execute();
  return {
    scores: new Set([...defs, ...scores, ...stale].map((r) => r.name)),
    metrics: new Set(metrics.map((r) => r.name)),
  };
}

/**
 * Creates or replaces a composite metric of an experiment version; see
 * {@link ScoresMethods.defineComposite}.
 */
export async function defineComposite(
  ctx: SqlContext,
  experiment: string,
  input: CompositeDefinitionInput,
): Promise<CompositeDefinition> {
  if (input === null || typeof input !== "object")
    throw new LabbookError("INVALID_ARGUMENT", "composite: must be an object { name, expression }", {
      field: "composite",
    });
  checkKeys(
    input,
    { name: true, expression: true } satisfies KnownKeys<CompositeDefinitionInput>,
    "defineComposite",
  );
  const name = checkMetricName(input.name);
  const ast = parseComposite(input.expression);
  const exp = await experimentKey(ctx, experiment);
  const known = await knownNames(ctx, exp.name, exp.version);
  const used = compositeNames(ast);
  for (const ns of ["scores", "metrics"] as const) {
    const unknown = used[ns].find((n) => !known[ns].has(n));
    if (unknown !== undefined) {
      const what = ns === "scores" ? "score" : "metric";
      throw new LabbookError(
        "INVALID_ARGUMENT",
        `expression: unknown ${what} ${JSON.stringify(unknown)} (${ns}.${unknown}): no metric definition or run of ${exp.name}:${exp.version} has it`,
        { field: "expression", details: { name: unknown, namespace: ns, known: [...known[ns]].sort() } },
      );
    }
  }
  const row: CompositeDefsTable = {
    workspace: ctx.workspace,
    experiment_name: exp.name,
    experiment_version: exp.version,
    name,
    expression: input.expression,
    updated_at: Date.now(),
  };
  await ctx.write(async (tx) => {
    const q = ctx.db
      .insertInto("composite_defs")
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(["workspace", "experiment_name", "experiment_version", "name"])
          .doUpdateSet({ expression: row.expression, updated_at: row.updated_at }),
      );
    await tx.query(q.compile());
  });
  return { experimentId: `${exp.name}:${exp.version}`, name, expression: row.expression };
}

/** The composite metrics of an experiment version, by name; see {@link ScoresMethods.getCompositeDefinitions}. */
export async function getCompositeDefinitions(
  ctx: SqlContext,
  experiment: string,
): Promise<CompositeDefinition[]> {
  const exp = await experimentKey(ctx, experiment);
  return compositesOf(ctx, exp.name, exp.version);
}

/** The composite metrics of `name:version` (no existence check). */
export async function compositesOf(
  ctx: SqlContext,
  name: string,
  version: string,
): Promise<CompositeDefinition[]> {
  const rows = await ctx.db
    .selectFrom("composite_defs")
    .select(["name", "expression"])
    .where("workspace", "=", ctx.workspace)
    .where("experiment_name", "=", name)
    .where("experiment_version", "=", version)
    .orderBy("name")
    .execute();
  return rows.map((r) => ({ experimentId: `${name}:${version}`, name: r.name, expression: r.expression }));
}
