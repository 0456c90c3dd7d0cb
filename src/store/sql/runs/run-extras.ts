import { decodeJson, encodeJson } from "../../../core/codec.js";
import { invalid } from "../../../core/errors.js";
import type { MetricSeries, RowRecord, ScoreValue } from "../../../core/types.js";
import { checkMetricName } from "../../../core/validate.js";
import type { SqlContext } from "../context.js";
import { flattenParams, readNumber } from "../shared/encode.js";
import { runKey } from "./runs-read.js";

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
  const rows = await ctx.db
    .selectFrom("metric_series")
    .select("name")
    .distinct()
    .where("run_pk", "=", run.id)
    .orderBy("name")
    .execute();
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
  const run = await runKey(ctx, runId);
  const size = Math.max(1, Math.min(options.batchSize ?? 1000, 10_000));
  let after: { d: string; t: number } | null = null;
  for (;;) {
    const cursor: { d: string; t: number } | null = after;
    const rows: RowPage = await ctx.db
      .selectFrom("run_rows")
      .select(["datapoint_id", "trial", "item", "output", "scores", "requests"])
      .where("run_pk", "=", run.id)
      .$if(cursor !== null, (q) =>
        q.where((eb) =>
          eb.or([
            eb("datapoint_id", ">", cursor!.d),
            eb.and([eb("datapoint_id", "=", cursor!.d), eb("trial", ">", cursor!.t)]),
          ]),
        ),
      )
      .orderBy("datapoint_id")
      .orderBy("trial")
      .limit(size)
      .execute();
    for (const r of rows) {
      yield {
        datapointId: r.datapoint_id,
        trial: Number(r.trial),
        item: decodeJson(r.item),
        output: decodeJson(r.output),
        scores: decodeJson<Record<string, ScoreValue>>(r.scores),
        requests: decodeJson(r.requests),
      };
    }
    if (rows.length < size) return;
    const last = rows[rows.length - 1] as RowPage[number];
    after = { d: last.datapoint_id, t: Number(last.trial) };
  }
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
  const rows = Object.entries(values).map(([name, v]) => {
    checkMetricName(name, `derived.${name}`);
    const encoded = encodeJson(v, `derived.${name}`);
    const leaf = flattenParams(v)[0];
    const scalar = leaf && leaf.path === "" ? leaf : { type: "object", num: null, text: null };
    return { name, type: scalar.type, num: scalar.num, text: scalar.text, value: encoded };
  });
  const run = await runKey(ctx, runId);
  await ctx.write(async (tx) => {
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
  });
}
