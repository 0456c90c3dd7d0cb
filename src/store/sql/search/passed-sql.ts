import { type SqlBool, sql } from "kysely";
import type { MetricThreshold } from "../../../scores/definitions.js";
import { type Bool, type Dialect, FALSE, type Sql, TRUE } from "./dialect.js";

function or(parts: Bool[]): Bool {
  if (parts.length === 0) return FALSE;
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}
function and(parts: Bool[]): Bool {
  if (parts.length === 0) return TRUE;
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** The categories a score value can be spelled as (see `categoryOf` in `scores/pass-fail.ts`). */
function categoryCond(cats: string[]): Bool {
  const parts: Bool[] = [sql<SqlBool>`(s.type = 'string' and s.text in (${sql.join(cats)}))`];
  if (cats.includes("true")) parts.push(sql<SqlBool>`(s.type = 'boolean' and s.num = 1)`);
  if (cats.includes("false")) parts.push(sql<SqlBool>`(s.type = 'boolean' and s.num = 0)`);
  for (const c of cats) {
    const n = Number(c);
    if (c === "NaN") parts.push(sql<SqlBool>`(s.type = 'number' and s.nan = 1)`);
    else if (c.trim() !== "" && String(n) === c)
      parts.push(sql<SqlBool>`(s.type = 'number' and s.num = ${n})`);
  }
  return or(parts);
}

/** A score (alias `s` of `row_scores`) passes a threshold: the SQL of `passes()` for a non-null value. */
function passCond(t: MetricThreshold): Bool {
  const parts: Bool[] = [];
  if (t.min !== undefined) parts.push(sql<SqlBool>`(s.num is not null and s.num >= ${t.min})`);
  if (t.max !== undefined) parts.push(sql<SqlBool>`(s.num is not null and s.num <= ${t.max})`);
  if (t.passWhen !== undefined)
    parts.push(sql<SqlBool>`(s.num is not null and s.num = ${t.passWhen ? 1 : 0})`);
  if (t.passingCategories !== undefined) parts.push(categoryCond(t.passingCategories));
  return and(parts);
}

/**
 * Whether the row `rowPk` passed: none of its non-null scores fails the threshold of its metric
 * definition (the rule of `rowPassed` in `query/records.ts`).
 *
 * @example
 * passedSql(sqliteDialect, sql.ref("w.id"), new Map([["f1", { min: 0.5 }]]));
 */
export function passedSql(d: Dialect, rowPk: Sql, thresholds: ReadonlyMap<string, MetricThreshold>): Bool {
  const fails = [...thresholds].map(
    ([name, t]) => sql<SqlBool>`(s.name = ${name} and not ${d.definite(passCond(t))})`,
  );
  if (fails.length === 0) return TRUE;
  return sql<SqlBool>`not exists (select 1 from row_scores s where s.row_pk = ${rowPk} and s.type <> 'null' and ${or(fails)})`;
}
