import { type RawBuilder, sql } from "kysely";
import type { SqlContext } from "../context.js";
import type { Sql } from "../dialects/types.js";
import { statement, type TxSteps } from "../write-tx.js";
import { CATALOG_VALUES, type SummaryDelta, type SummaryScope } from "./field-summary.js";

/**
 * The field summaries behind the field catalog (migration 13), kept by steps of the write
 * transactions that change runs, per experiment version:
 * - `field_summaries`, per field and value type: the runs having it (exact: +1 when a run gains
 *   the field or type, -1 when it loses it or is deleted or replaced), and the smallest and largest
 *   number and string seen;
 * - `field_values`, per field: the smallest distinct values seen, at most
 *   {@link CATALOG_VALUES} + 1 (a longer list is cut, and known to be).
 *
 * The rule for a value that leaves (a run deleted or replaced, a metric's new value, a tag or a
 * param changed, a status changed): counts and types stay exact, but ranges only widen and listed
 * values stay listed (values of a type no run has any more are not listed). So after deletions the
 * catalog is conservative: its min and max bound the values held, and every value held is listed
 * unless the list is cut before it.
 *
 * Every statement is commutative (added counts, least and greatest, inserts of missing values),
 * so concurrent writers need no lock beyond the rows they touch, and no process keeps a copy.
 * Values past a field's (CATALOG_VALUES + 1)th are never read: SQLite inserts only values below
 * it and trims a field when one went in; PostgreSQL inserts the same way without waiting for an
 * answer and trims the fields offered every 16th time, so a list may hold a few more rows for a
 * while. PostgreSQL's writers add their figures to one of 64 rows per field (by transaction id,
 * migration 14), so that concurrent writers of one experiment do not wait on each other's commits.
 */
export function* applySummarySteps(
  ctx: Pick<SqlContext, "db" | "dialect">,
  scope: SummaryScope,
  delta: SummaryDelta,
): TxSteps<void> {
  if (delta.empty) return;
  const { workspace, experimentName: en, experimentVersion: ev } = scope;
  const figures = [...delta.figures.values()].sort((a, b) =>
    a.field < b.field ? -1 : a.field > b.field ? 1 : a.type < b.type ? -1 : a.type > b.type ? 1 : 0,
  );
  for (let i = 0; i < figures.length; i += CHUNK) {
    const rows = figures.slice(i, i + CHUNK).map((f) => ({
      workspace,
      experiment_name: en,
      experiment_version: ev,
      field: f.field,
      type: f.type,
      slot: ctx.dialect.summarySlot as RawBuilder<number>,
      runs: f.runs,
      num_min: f.numMin,
      num_max: f.numMax,
      text_min: f.textMin,
      text_max: f.textMax,
    }));
    // An insert without `returning`: PostgreSQL's pipelined transaction sends it without waiting.
    yield* statement(
      ctx.db
        .insertInto("field_summaries")
        .values(rows)
        .onConflict((oc) =>
          oc
            .columns(["workspace", "experiment_name", "experiment_version", "field", "type", "slot"])
            .doUpdateSet({
              runs: sql`field_summaries.runs + excluded.runs`,
              num_min: widen<number | null>("num_min", "<"),
              num_max: widen<number | null>("num_max", ">"),
              text_min: widen<string | null>("text_min", "<"),
              text_max: widen<string | null>("text_max", ">"),
            }),
        )
        .compile(),
    );
  }
  const values = delta.valueRows();
  for (let i = 0; i < values.length; i += CHUNK) {
    yield* offerValues(ctx, scope, values.slice(i, i + CHUNK));
  }
}

/** Rows of one statement (10 values each: under both databases' limits on bound values). */
const CHUNK = 1000;

/** Inserts the values that belong among their fields' smallest, then drops the ones pushed out. */
function* offerValues(
  ctx: Pick<SqlContext, "db" | "dialect">,
  scope: SummaryScope,
  values: ReturnType<SummaryDelta["valueRows"]>,
): TxSteps<void> {
  const { workspace, experimentName: en, experimentVersion: ev } = scope;
  const num = (v: number | null) => sql`cast(${v} as double precision)`;
  const text = (v: string | null) => ctx.dialect.binaryText(sql`cast(${v} as text)`);
  const offered = values.map(
    ({ key, leaf }) =>
      sql`(${workspace}, ${en}, ${ev}, ${leaf.field}, ${text(key)}, ${text(leaf.type)}, ${num(leaf.num)}, ${text(leaf.text)})`,
  );
  // A value goes in when it is below the field's (CATALOG_VALUES + 1)th listed value, or fewer are listed.
  const insert = ctx.db
    .insertInto("field_values")
    .columns([
      "workspace",
      "experiment_name",
      "experiment_version",
      "field",
      "sort_key",
      "type",
      "num",
      "text",
    ])
    .expression(
      sql`select v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8
        from (values ${sql.join(offered)}) as v
        where v.column5 < coalesce((${cutoff(sql`v.column1`, sql`v.column2`, sql`v.column3`, sql`v.column4`)}), v.column5 || 'x')`,
    )
    .onConflict((oc) =>
      oc.columns(["workspace", "experiment_name", "experiment_version", "field", "sort_key"]).doNothing(),
    );
  // Values past a field's (CATALOG_VALUES + 1)th are never read (the guard above and the catalog
  // read the smallest): dropped to keep the table small.
  const inScope = sql<boolean>`workspace = ${workspace} and experiment_name = ${en} and experiment_version = ${ev}`;
  const trim = (fields: string[]) =>
    ctx.db
      .deleteFrom("field_values")
      .where(
        sql<boolean>`${inScope} and (field, sort_key) in (select x.field, x.sort_key from (select field, sort_key,
          row_number() over (partition by field order by sort_key) as rn from field_values
          where ${inScope} and ${ctx.dialect.inArray(sql.ref("field"), fields, "text")}) as x where x.rn > ${sql.lit(CATALOG_VALUES + 1)})`,
      )
      .compile();
  if (ctx.dialect.name === "postgres") {
    // Guarded as on SQLite (values past the cut are not inserted, so writers of one experiment
    // rarely touch the same rows), sent without waiting for an answer (pipelined); the fields
    // offered are trimmed now and then (values past the cut only take room until then, and are
    // never read).
    yield* statement(insert.compile());
    if (++offers % TRIM_EVERY === 0) {
      // Per field, past its (CATALOG_VALUES + 1)th value: one index range each.
      for (const field of new Set(values.map((v) => v.leaf.field))) {
        const cut = cutoff(sql`${workspace}`, sql`${en}`, sql`${ev}`, sql`${field}`);
        yield* statement(
          ctx.db
            .deleteFrom("field_values")
            .where(sql<boolean>`${inScope} and field = ${field} and sort_key > (${cut})`)
            .compile(),
        );
      }
    }
    return;
  }
  const inserted = yield* statement<{ field: string }>(insert.returning("field").compile());
  if (inserted.length > 0) yield* statement(trim([...new Set(inserted.map((r) => r.field))]));
}

/** Offers of values by this process (PostgreSQL), and how often they are followed by a trim. */
let offers = 0;
const TRIM_EVERY = 16;

/** The (CATALOG_VALUES + 1)th listed value of a field: values above it are not kept. */
function cutoff(ws: Sql, en: Sql, ev: Sql, field: Sql): Sql {
  return sql`select f.sort_key from field_values as f where f.workspace = ${ws} and f.experiment_name = ${en}
    and f.experiment_version = ${ev} and f.field = ${field} order by f.sort_key limit 1 offset ${sql.lit(CATALOG_VALUES)}`;
}

/** The stored bound of column `c`, widened by the new row's (`<`: lower bound). */
function widen<T>(c: string, op: "<" | ">"): RawBuilder<T> {
  const old = sql.ref(`field_summaries.${c}`);
  const neu = sql.ref(`excluded.${c}`);
  return sql<T>`case when ${neu} is null then ${old} when ${old} is null or ${neu} ${sql.raw(op)} ${old} then ${neu} else ${old} end`;
}
