import { sql } from "kysely";
import { encodeJson } from "../../../core/codec.js";
import { invalid } from "../../../core/errors.js";
import { checkOptions, type KnownKeys } from "../../../core/known-keys.js";
import type { MetricSeries, RowRecord, ScoreValue } from "../../../core/types.js";
import { checkMetricName } from "../../../core/validate.js";
import { SET_DERIVED_KEYS } from "../../validate-write.js";
import type { SqlContext } from "../context.js";
import { flattenParams, readNumber } from "../shared/encode.js";
import { quickDecodeJson } from "../shared/quick-decode.js";
import { driveSteps } from "../write-tx.js";
import { summarizeRunChange } from "./field-summary-steps.js";
import { storedRunLeaves } from "./run-leaves.js";
import { runKey, runKeyParts } from "./runs-read.js";

export async function getSeries(ctx: SqlContext, runId: string, name: string): Promise<MetricSeries> {
  checkMetricName(name);
  const run = await runKey(ctx, runId);
  const rows = await ctx.db
    .selectFrom("metric_series")
    .select(["step", "value", "nan", "ts"])
    .where("run_pk", "=", run.id)
    .where("name", "=", name)
    .orderBy("step")
    .orderBy("ts")
    .execute();
  return {
    steps: rows.map((r) => Number(r.step)),
    values: rows.map((r) => readNumber(r.value, r.nan)),
    timestamps: rows.map((r) => Number(r.ts)),
  };
}

export async function listSeries(ctx: SqlContext, runId: string): Promise<string[]> {
  const run = await runKey(ctx, runId);
  // A skip scan of the (run_pk, name, step) index: one seek per name, not one read per point
  // (a run with 10 series of 100,000 steps answers in a few index seeks, not 1,000,000 reads).
  const { rows } = await sql<{ name: string }>`with recursive names(name) as (
      select min(name) from metric_series where run_pk = ${run.id}
      union all
      select (select min(s.name) from metric_series as s where s.run_pk = ${run.id} and s.name > names.name)
      from names where names.name is not null
    ) select name from names where name is not null`.execute(ctx.db);
  return rows.map((r) => r.name);
}

type RowPage = {
  datapoint_id: string;
  trial: number;
  item: string;
  output: string;
  scores: string;
  requests: string;
}[];

export async function* iterateRowRecords(
  ctx: SqlContext,
  runId: string,
  options: { batchSize?: number } = {},
): AsyncIterable<RowRecord> {
  checkOptions(options, { batchSize: true } satisfies KnownKeys<typeof options>, "iterateRowRecords");
  const run = await runKey(ctx, runId);
  const size = Math.max(1, Math.min(options.batchSize ?? 1000, 10_000));
  let after: { d: string; t: number } | null = null;
  for (;;) {
    const cursor: { d: string; t: number } | null = after;
    const rows: RowPage = await ctx.db
      .selectFrom("run_rows")
      .select(["datapoint_id", "trial", "item", "output", "scores", "requests"])
      .where("run_pk", "=", run.id)
      // A row-value comparison: the index seeks to the cursor (an OR of the two cases made
      // each page scan the run's rows from its first one).
      .$if(cursor !== null, (q) =>
        q.where((eb) => eb(eb.refTuple("datapoint_id", "trial"), ">", eb.tuple(cursor!.d, cursor!.t))),
      )
      .orderBy("datapoint_id")
      .orderBy("trial")
      .limit(size)
      .execute();
    for (const r of rows) {
      yield {
        datapointId: r.datapoint_id,
        trial: Number(r.trial),
        item: quickDecodeJson(r.item),
        output: quickDecodeJson(r.output),
        scores: quickDecodeJson<Record<string, ScoreValue>>(r.scores),
        requests: quickDecodeJson(r.requests),
      };
    }
    if (rows.length < size) return;
    const last = rows[rows.length - 1] as RowPage[number];
    after = { d: last.datapoint_id, t: Number(last.trial) };
  }
}

/** Rows per run for each of these runs that exists; see {@link Store.countRowsOfRuns}. */
export async function countRowsOfRuns(
  ctx: SqlContext,
  runIds: readonly string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const part of await runKeyParts(ctx, runIds)) {
    for (const id of part.values()) out[id] = 0;
    const rows = await ctx.db
      .selectFrom("run_rows")
      .select((eb) => ["run_pk", eb.fn.countAll().as("n")])
      .where("run_pk", "in", [...part.keys()])
      .groupBy("run_pk")
      .execute();
    for (const r of rows) out[part.get(Number(r.run_pk))!] = Number(r.n);
  }
  return out;
}

/** Stores derived values beside a run; with `overwrite: false` values already there are kept. */
export async function setDerived(
  ctx: SqlContext,
  runId: string,
  values: Record<string, unknown>,
  options: { overwrite?: boolean } = {},
): Promise<void> {
  if (values === null || typeof values !== "object" || Array.isArray(values)) {
    throw invalid("derived", "must be a record of named values", values);
  }
  checkOptions(options, SET_DERIVED_KEYS, "setDerived");
  const rows = Object.entries(values).map(([name, v]) => {
    checkMetricName(name, `derived.${name}`);
    const encoded = encodeJson(v, `derived.${name}`);
    const leaf = flattenParams(v)[0];
    const scalar = leaf && leaf.path === "" ? leaf : { type: "object", num: null, text: null };
    return { name, type: scalar.type, num: scalar.num, text: scalar.text, value: encoded };
  });
  const run = await runKey(ctx, runId);
  await ctx.write(async (tx) => {
    const before = (await driveSteps(storedRunLeaves(ctx, [Number(run.id)]), tx)).get(Number(run.id));
    for (const r of rows) {
      const q = ctx.db.insertInto("run_derived").values({ run_pk: run.id, ...r });
      await tx.query(
        (options.overwrite === false
          ? q.onConflict((oc) => oc.columns(["run_pk", "name"]).doNothing())
          : q.onConflict((oc) =>
              oc.columns(["run_pk", "name"]).doUpdateSet((eb) => ({
                type: eb.ref("excluded.type"),
                num: eb.ref("excluded.num"),
                text: eb.ref("excluded.text"),
                value: eb.ref("excluded.value"),
              })),
            )
        ).compile(),
      );
    }
    await ctx.runChanges?.record(tx, [Number(run.id)]);
    if (before) await driveSteps(summarizeRunChange(ctx, Number(run.id), before), tx);
  });
}
