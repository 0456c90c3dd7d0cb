import { type SqlBool, sql } from "kysely";
import type { QueryScope } from "../../../query/ast.js";
import type { SortKey } from "../../../query/sort.js";
import { type Bool, type Dialect, FALSE, type Sql, TRUE } from "./dialect.js";
import { type Cols, metricIndexed, type SourceEnv, sourceOf } from "./sources.js";

/** The SQL of one sort key: a plain non-null column, or a class (nulls last) with a number and a text. */
export interface KeySql {
  desc: boolean;
  plain?: Sql;
  cls?: Sql;
  num?: Sql;
  text?: Sql;
}

/** Joins, order terms and selected key values of a sort (the keyset cursor reads them back). */
export interface SortPlan {
  joins: Sql[];
  /**
   * The same joins, all `left join`: a query over every match keeps the owner table first (an
   * inner join on an indexed value could otherwise drive the scan, reading the owner table in
   * that index's order, one random row at a time).
   */
  outerJoins: Sql[];
  keys: KeySql[];
  order: Sql[];
  /** `k0p`/`k0c`/`k0n`/`k0t`... columns to select. */
  select: Sql[];
  /** Whether the run_id tie-break descends (it follows the last key). */
  tieDesc: boolean;
}

function classOf(missing: Bool, c: Cols): Sql {
  const parts: Sql[] = [
    sql`when ${missing} then 4`,
    sql`when ${c.isNull} then 4`,
    sql`when ${c.isNaN} then 2`,
  ];
  if (c.num) parts.push(sql`when ${c.num} is not null then 0`);
  if (c.text) parts.push(sql`when ${c.isStr} then 1`);
  return sql`(case ${sql.join(parts, sql` `)} else 3 end)`;
}

/**
 * Ties are broken by `run_id` (runs, in the direction of the last key) or `datapoint_id, trial` (rows, ascending).
 *
 * @example
 * tiebreak("rows", sqliteDialect); // [w.datapoint_id, w.trial]
 */
export function tiebreak(scope: QueryScope, d: Dialect): Sql[] {
  return scope === "runs"
    ? [d.binaryText(sql.ref("r.run_id"))]
    : [d.binaryText(sql.ref("w.datapoint_id")), sql.ref("w.trial")];
}

/**
 * Compiles sort keys (nulls last in both directions; see `query/sort.ts`) into joins and
 * order terms over the owner alias.
 *
 * @example
 * compileSort(parseSort("-metrics.acc"), { dialect: sqliteDialect, owner: "r" }, "runs");
 */
export function compileSort(
  keys: SortKey[],
  env: SourceEnv,
  scope: QueryScope,
  implied: ReadonlySet<string> = new Set(),
): SortPlan {
  const plan: SortPlan = { joins: [], outerJoins: [], keys: [], order: [], select: [], tieDesc: false };
  const dir = (desc: boolean) => (desc ? sql`desc` : sql`asc`);
  keys.forEach((k, i) => {
    const src = sourceOf(k.ref, env);
    if (src.kind === "tags") throw new Error("tags is not sortable");
    if (src.kind === "direct" && src.plain) {
      const plain = src.cols.text ? env.dialect.binaryText(src.plain) : src.plain;
      plan.keys.push({ desc: k.desc, plain });
      plan.order.push(sql`${plain} ${dir(k.desc)}`);
      plan.select.push(sql`${plain} as ${sql.ref(`k${i}p`)}`);
      return;
    }
    if (src.kind === "child" && implied.has(k.field) && src.cols("x").num !== undefined) {
      // The filter keeps only runs where this field is a number (not NaN): an inner join, and the
      // plain value orders (an index on the value can serve the order and the keyset).
      const a = `s${i}`;
      const plain = src.cols(a).num!;
      const indexed = src.table === "run_metrics" ? metricIndexed(a, env) : sql``;
      const on = sql`${sql.table(src.table)} as ${sql.ref(a)} on ${sql.ref(`${a}.${src.ownerCol}`)} = ${sql.ref(`${env.owner}.id`)} and ${sql.ref(`${a}.${src.keyCol}`)} = ${src.key}${indexed}`;
      plan.joins.push(sql`join ${on}`);
      plan.outerJoins.push(sql`left join ${on}`);
      plan.keys.push({ desc: k.desc, plain });
      plan.order.push(sql`${plain} ${dir(k.desc)}`);
      plan.select.push(sql`${plain} as ${sql.ref(`k${i}p`)}`);
      return;
    }
    let cols: Cols;
    let missing: Bool;
    if (src.kind === "child") {
      const a = `s${i}`;
      const join = sql`left join ${sql.table(src.table)} as ${sql.ref(a)} on ${sql.ref(`${a}.${src.ownerCol}`)} = ${sql.ref(`${env.owner}.id`)} and ${sql.ref(`${a}.${src.keyCol}`)} = ${src.key}`;
      plan.joins.push(join);
      plan.outerJoins.push(join);
      cols = src.cols(a);
      missing = sql<SqlBool>`${sql.ref(`${a}.${src.ownerCol}`)} is null`;
    } else {
      cols = src.cols;
      missing = src.missing;
    }
    const key: KeySql = { desc: k.desc, cls: classOf(missing, cols) };
    plan.order.push(sql`${key.cls} asc`);
    plan.select.push(sql`${key.cls} as ${sql.ref(`k${i}c`)}`);
    if (cols.num) {
      key.num = cols.num;
      plan.order.push(sql`${cols.num} ${dir(k.desc)}`);
      plan.select.push(sql`${cols.num} as ${sql.ref(`k${i}n`)}`);
    }
    if (cols.text) {
      key.text = env.dialect.binaryText(sql`(case when ${cols.isStr} then ${cols.text} end)`);
      plan.order.push(sql`${key.text} ${dir(k.desc)}`);
      plan.select.push(sql`${key.text} as ${sql.ref(`k${i}t`)}`);
    }
    plan.keys.push(key);
  });
  plan.tieDesc = scope === "runs" && (keys[keys.length - 1]?.desc ?? false);
  for (const t of tiebreak(scope, env.dialect)) plan.order.push(sql`${t} ${dir(plan.tieDesc)}`);
  return plan;
}

/** The values of one key at the cursor row. */
export interface KeyAt {
  p?: number | string;
  c?: number;
  n?: number | null;
  t?: string | null;
}

/**
 * Reads back the selected key values of a result row.
 *
 * @example
 * keysAt({ k0p: 0.9 }, 1); // [{ p: 0.9 }]
 */
export function keysAt(row: Record<string, unknown>, n: number): KeyAt[] {
  const out: KeyAt[] = [];
  for (let i = 0; i < n; i++) {
    const k: KeyAt = {};
    if (`k${i}p` in row) k.p = row[`k${i}p`] as number | string;
    if (`k${i}c` in row) k.c = Number(row[`k${i}c`]);
    if (`k${i}n` in row) k.n = row[`k${i}n`] === null ? null : Number(row[`k${i}n`]);
    if (`k${i}t` in row) k.t = row[`k${i}t`] as string | null;
    out.push(k);
  }
  return out;
}

function cmp(desc: boolean) {
  return desc ? sql`<` : sql`>`;
}

/** A cursor's key value, bound (numbers through the dialect: see `number`). */
function boundKey(d: Dialect, v: unknown): Sql {
  return typeof v === "number" ? d.number(v) : sql`${v}`;
}

function afterAndEqual(k: KeySql, at: KeyAt, d: Dialect): { after: Bool; equal: Bool } {
  if (k.plain) {
    const p = boundKey(d, at.p);
    return {
      after: sql<SqlBool>`${k.plain} ${cmp(k.desc)} ${p}`,
      equal: sql<SqlBool>`${k.plain} = ${p}`,
    };
  }
  const c = at.c ?? 4;
  let after: Bool = FALSE;
  let equal: Bool = TRUE;
  if (c === 0 && k.num) {
    after = sql<SqlBool>`${k.num} ${cmp(k.desc)} ${boundKey(d, at.n)}`;
    equal = sql<SqlBool>`${k.num} = ${boundKey(d, at.n)}`;
  } else if (c === 1 && k.text) {
    after = sql<SqlBool>`${k.text} ${cmp(k.desc)} ${at.t}`;
    equal = sql<SqlBool>`${k.text} = ${at.t}`;
  }
  return {
    after: sql<SqlBool>`(${k.cls} > ${c} or (${k.cls} = ${c} and ${after}))`,
    equal: sql<SqlBool>`(${k.cls} = ${c} and ${equal})`,
  };
}

/**
 * Rows strictly after the cursor row in the plan's order (a keyset condition).
 *
 * @example
 * afterCursor(plan, [{ p: 0.9 }], ["run42"], "runs", sqliteDialect);
 */
export function afterCursor(
  plan: SortPlan,
  at: KeyAt[],
  tie: (string | number)[],
  scope: QueryScope,
  d: Dialect,
): Bool {
  const ors: Bool[] = [];
  const prefix: Bool[] = [];
  // A bound on the first key (implied by the condition) lets an index on it serve a range.
  const first = plan.keys[0];
  const bound =
    first?.plain && at[0]?.p !== undefined
      ? sql<SqlBool>`${first.plain} ${first.desc ? sql`<=` : sql`>=`} ${boundKey(d, at[0].p)}`
      : undefined;
  plan.keys.forEach((k, i) => {
    const { after, equal } = afterAndEqual(k, at[i] ?? {}, d);
    ors.push(prefix.length ? sql<SqlBool>`(${sql.join(prefix, sql` and `)} and ${after})` : after);
    prefix.push(equal);
  });
  const t = tiebreak(scope, d);
  const tieAfter =
    scope === "runs"
      ? sql<SqlBool>`${t[0]} ${cmp(plan.tieDesc)} ${tie[0]}`
      : sql<SqlBool>`(${t[0]} > ${tie[0]} or (${t[0]} = ${tie[0]} and ${t[1]} > ${tie[1]}))`;
  ors.push(prefix.length ? sql<SqlBool>`(${sql.join(prefix, sql` and `)} and ${tieAfter})` : tieAfter);
  const any = sql<SqlBool>`(${sql.join(ors, sql` or `)})`;
  return bound ? sql<SqlBool>`(${bound} and ${any})` : any;
}
