import { sql } from "kysely";
import type { DownsampledSeries } from "../../../core/types.js";
import { checkMetricName } from "../../../core/validate.js";
import { checkMaxPoints } from "../../series-points.js";
import type { SqlContext } from "../context.js";
import { runKey } from "./runs-read.js";

type Bucket = {
  b: number | bigint;
  n: number | bigint;
  first_step: number | bigint;
  last_step: number | bigint;
  first_ts: number | bigint;
  mean: number | null;
  lo: number | null;
  hi: number | null;
  nans: number | bigint;
};

/**
 * A series cut into at most `maxPoints` buckets of equal step width, inside the database: per
 * bucket its first step and time, the mean of its values and their min and max (so a spike
 * inside a bucket stays visible). NaN values are counted apart; a bucket of NaN only has
 * `null` figures. A series of at most `maxPoints` points comes back point by point.
 */
export async function downsampleSeries(
  ctx: SqlContext,
  runId: string,
  name: string,
  maxPoints: number,
): Promise<DownsampledSeries> {
  checkMetricName(name);
  checkMaxPoints(maxPoints);
  const run = await runKey(ctx, runId);
  const base = ctx.db.selectFrom("metric_series").where("run_pk", "=", run.id).where("name", "=", name);
  const span = await base
    .select((eb) => [
      eb.fn.countAll<number | bigint>().as("n"),
      eb.fn.min("step").as("lo"),
      eb.fn.max("step").as("hi"),
    ])
    .executeTakeFirstOrThrow();
  const total = Number(span.n);
  const lo = Number(span.lo ?? 0);
  const range = Number(span.hi ?? 0) - lo + 1;
  // Equal step widths (whole numbers): a point's bucket is (step - lo) / width, at most maxPoints of them.
  const width = total <= maxPoints ? 1 : Math.max(1, Math.ceil(range / maxPoints));
  // Whole numbers written into the SQL (computed here, never user text): bound numbers would be
  // floats to SQLite and make the division a fraction.
  const bucket = sql<number>`(step - ${sql.lit(Math.trunc(lo))}) / ${sql.lit(Math.trunc(width))}`;
  const rows = (await base
    .select([
      bucket.as("b"),
      sql<number>`count(*)`.as("n"),
      sql<number>`min(step)`.as("first_step"),
      sql<number>`max(step)`.as("last_step"),
      sql<number>`min(ts)`.as("first_ts"),
      sql<number | null>`avg(case when nan = 0 then value end)`.as("mean"),
      sql<number | null>`min(case when nan = 0 then value end)`.as("lo"),
      sql<number | null>`max(case when nan = 0 then value end)`.as("hi"),
      sql<number>`sum(nan)`.as("nans"),
    ])
    .groupBy(bucket)
    .orderBy(bucket)
    .execute()) as Bucket[];
  const out: DownsampledSeries = {
    totalPoints: total,
    downsampled: width > 1 || rows.some((r) => Number(r.n) > 1),
    steps: [],
    lastSteps: [],
    timestamps: [],
    values: [],
    min: [],
    max: [],
    counts: [],
    nanCounts: [],
  };
  for (const r of rows) {
    out.steps.push(Number(r.first_step));
    out.lastSteps.push(Number(r.last_step));
    out.timestamps.push(Number(r.first_ts));
    out.values.push(r.mean === null ? null : Number(r.mean));
    out.min.push(r.lo === null ? null : Number(r.lo));
    out.max.push(r.hi === null ? null : Number(r.hi));
    out.counts.push(Number(r.n));
    out.nanCounts.push(Number(r.nans));
  }
  return out;
}
