import { sql } from "kysely";
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
  const num = (v: number | null) => sql`cast(${v} as double precision)`;
  const text = (v: string | null) => ctx.dialect.binaryText(sql`cast(${v} as text)`);
  const lower = (c: string) => widen(c, "<");
  const upper = (c: string) => widen(c, ">");
  for (let i = 0; i < figures.length; i += CHUNK) {
    const rows = figures
      .slice(i, i + CHUNK)
      .map(
        (f) =>
          sql`(${workspace}, ${en}, ${ev}, ${f.field}, ${f.type}, ${f.runs}, ${num(f.numMin)}, ${num(f.numMax)}, ${text(f.textMin)}, ${text(f.textMax)})`,
      );
    yield* statement(
      sql`insert into field_summaries (workspace, experiment_name, experiment_version, field, type, runs, num_min, num_max, text_min, text_max)
        values ${sql.join(rows)}
        on conflict (workspace, experiment_name, experiment_version, field, type) do update set
          runs = field_summaries.runs + excluded.runs,
          num_min = ${lower("num_min")}, num_max = ${upper("num_max")},
          text_min = ${lower("text_min")}, text_max = ${upper("text_max")}`.compile(ctx.db),
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
  const inserted = yield* statement(
    sql`insert into field_values (workspace, experiment_name, experiment_version, field, sort_key, type, num, text)
      select v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8
      from (values ${sql.join(offered)}) as v
      where v.column5 < coalesce((${cutoff(sql`v.column1`, sql`v.column2`, sql`v.column3`, sql`v.column4`)}), v.column5 || 'x')
      on conflict (workspace, experiment_name, experiment_version, field, sort_key) do nothing
      returning field`.compile(ctx.db),
  );
  if (inserted.length === 0) return;
  const fields = [...new Set(inserted.map((r) => (r as { field: string }).field))];
  yield* statement(
    sql`delete from field_values where workspace = ${workspace} and experiment_name = ${en}
      and experiment_version = ${ev} and ${ctx.dialect.inArray(sql.ref("field"), fields, "text")}
      and sort_key > (${cutoff(sql`field_values.workspace`, sql`field_values.experiment_name`, sql`field_values.experiment_version`, sql`field_values.field`)})`.compile(
      ctx.db,
    ),
  );
}

/** The (CATALOG_VALUES + 1)th listed value of a field: values above it are not kept. */
function cutoff(ws: Sql, en: Sql, ev: Sql, field: Sql): Sql {
  return sql`select f.sort_key from field_values as f where f.workspace = ${ws} and f.experiment_name = ${en}
    and f.experiment_version = ${ev} and f.field = ${field} order by f.sort_key limit 1 offset ${sql.lit(CATALOG_VALUES)}`;
}

/** The stored bound of column `c`, widened by the new row's (`<`: lower bound). */
function widen(c: string, op: "<" | ">"): Sql {
  const old = sql.ref(`field_summaries.${c}`);
  const neu = sql.ref(`excluded.${c}`);
  return sql`case when ${neu} is null then ${old} when ${old} is null or ${neu} ${sql.raw(op)} ${old} then ${neu} else ${old} end`;
}
