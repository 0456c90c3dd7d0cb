import { sql } from "kysely";
import type { DownsampledSeries } from "../../../core/types.js";
import { checkMetricName } from "../../../core/validate.js";
import { checkMaxPoints } from "../../series-points.js";
import type { SqlContext } from "../context.js";
import type { Sql } from "../dialects/types.js";
import { runKey } from "./runs-read.js";

/** One bucket: count, first and last step, first time, mean, min, max, NaN count. */
type Bucket = [number, number, number, number, number | null, number | null, number | null, number];

/** Points per bucket on average from which each bucket is read by its own index range. */
const DENSE = 8;

const num = (v: unknown): number => Number(v);
const orNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
/** A bucket from its aggregates in {@link AGGREGATES} order (an infinity may be a JSON string). */
const bucketOf = (a: readonly unknown[]): Bucket => [
  num(a[0]),
  num(a[1]),
  num(a[2]),
  num(a[3]),
  orNull(a[4]),
  orNull(a[5]),
  orNull(a[6]),
  num(a[7]),
];

// Per bucket (in the series' index): count, first and last step, first time, then the mean, min
// and max of the values (NaN is stored as NULL, so aggregates skip it) and the NaN count.
const AGGREGATES: Sql[] = [
  sql`count(*)`,
  sql`min(step)`,
  sql`max(step)`,
  sql`min(ts)`,
  sql`avg(value)`,
  sql`min(value)`,
  sql`max(value)`,
  sql`sum(nan)`,
];

/**
 * A series cut into at most `maxPoints` buckets of equal step width, inside the database: per
 * bucket its first step and time, the mean of its values and their min and max (so a spike
 * inside a bucket stays visible). NaN values are counted apart; a bucket of NaN only has
 * `null` figures. A series of at most `maxPoints` points comes back point by point.
 *
 * Everything is read from the series index `(run_pk, name, step, ts, value, nan)` (migration 12).
 * Dense buckets (the usual case: a long series cut to a chart's width) are each one index range
 * aggregated by a subquery, in step order, with no sort; sparse ones are grouped by
 * `(step - lo) / width`, which sorts the points.
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
  const of = sql`metric_series where run_pk = ${run.id} and name = ${name}`;
  // The first and last step are two index seeks; the points are counted only as far as the
  // choices below need.
  const { rows: spans } = await sql<{ lo: unknown; hi: unknown; n: unknown }>`select min(step) as lo,
      max(step) as hi, (select count(*) from (select 1 from ${of} limit ${DENSE * maxPoints + 1}) as p) as n
    from ${of}`.execute(ctx.db);
  const span = spans[0];
  const counted = num(span?.n ?? 0);
  const lo = Math.trunc(num(span?.lo ?? 0));
  const range = Math.trunc(num(span?.hi ?? 0)) - lo + 1;
  // Equal step widths (whole numbers): a point's bucket is (step - lo) / width, at most maxPoints of them.
  const width = counted <= maxPoints ? 1 : Math.max(1, Math.ceil(range / maxPoints));
  const buckets = Math.ceil(range / width);
  const rows =
    counted >= DENSE * buckets && width > 1
      ? await denseBuckets(ctx, of, lo, width, buckets)
      : await groupedBuckets(ctx, of, lo, width);
  const out: DownsampledSeries = {
    totalPoints: 0,
    downsampled: width > 1 || rows.some((r) => r[0] > 1),
    steps: [],
    lastSteps: [],
    timestamps: [],
    values: [],
    min: [],
    max: [],
    counts: [],
    nanCounts: [],
  };
  for (const [n, first, last, ts, mean, min, max, nans] of rows) {
    out.totalPoints += n;
    out.steps.push(first);
    out.lastSteps.push(last);
    out.timestamps.push(ts);
    out.values.push(mean);
    out.min.push(min);
    out.max.push(max);
    out.counts.push(n);
    out.nanCounts.push(nans);
  }
  return out;
}

/** Each bucket by its own index range: one seek and a walk in step order per bucket. */
async function denseBuckets(ctx: SqlContext, of: Sql, lo: number, width: number, buckets: number) {
  // Whole numbers written into the SQL (computed here, never user text): bound numbers would be
  // floats to SQLite and make the bounds fractions.
  const [l, w] = [sql.lit(lo), sql.lit(width)];
  const { rows } = await sql<{ j: string }>`with recursive k(b) as (
      select 0 union all select b + 1 from k where b < ${sql.lit(buckets - 1)}
    ) select (select ${ctx.dialect.jsonArray(AGGREGATES)} from ${of}
        and step >= ${l} + k.b * ${w} and step < ${l} + (k.b + 1) * ${w}) as j
    from k`.execute(ctx.db);
  const out: Bucket[] = [];
  for (const r of rows) {
    const a = JSON.parse(r.j) as unknown[];
    if (num(a[0]) > 0) out.push(bucketOf(a)); // an empty bucket (a gap in the steps) is no point
  }
  return out;
}

/** Every point's bucket computed, then grouped (a sort of the points). */
async function groupedBuckets(ctx: SqlContext, of: Sql, lo: number, width: number) {
  const bucket = sql`(step - ${sql.lit(lo)}) / ${sql.lit(width)}`;
  const { rows } = await sql<Record<string, unknown>>`select ${bucket} as b, ${sql.join(
    AGGREGATES.map((a, i) => sql`${a} as ${sql.ref(`a${i}`)}`),
  )} from ${of} group by ${bucket} order by ${bucket}`.execute(ctx.db);
  return rows.map((r) => bucketOf(AGGREGATES.map((_, i) => r[`a${i}`])));
}
