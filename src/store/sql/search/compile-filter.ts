import { type SqlBool, sql } from "kysely";
import type { QueryKind, QueryNode, QueryScope, QueryValue } from "../../../query/ast.js";
import { fieldLiteral } from "../../../query/evaluate.js";
import { resolveField } from "../../../query/fields.js";
import { containsPattern } from "../../../query/like.js";
import { paramsIndexed } from "../runs/run-index.js";
import { type Bool, FALSE, TRUE } from "./dialect.js";
import { refersToParams } from "./param-refs.js";
import { type Cols, type Source, type SourceEnv, sourceOf } from "./sources.js";

type CondOf = (c: Cols) => Bool;

function or(parts: Bool[]): Bool {
  if (parts.length === 0) return FALSE;
  if (parts.length === 1) return parts[0]!;
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** `value exists and cond(value)`: two-valued for every source. */
function present(src: Source, env: SourceEnv, cond: CondOf): Bool {
  if (src.kind === "child") {
    const t = sql.table(src.table);
    const c = src.cols("c");
    const cols: Cols = {
      ...c,
      ...(c.num ? { num: env.dialect.noIndex(c.num) } : {}),
      ...(c.text ? { text: env.dialect.noIndex(c.text) } : {}),
    };
    return sql<SqlBool>`exists (select 1 from ${t} as c where ${sql.ref(`c.${src.ownerCol}`)} = ${sql.ref(`${env.owner}.id`)} and ${sql.ref(`c.${src.keyCol}`)} = ${src.key} and ${cond(cols)})`;
  }
  if (src.kind === "direct") {
    return env.dialect.definite(sql<SqlBool>`(not ${src.missing} and ${cond(src.cols)})`);
  }
  throw new Error("tags is handled apart");
}

function tagKeys(env: SourceEnv, cond: Bool): Bool {
  return sql<SqlBool>`exists (select 1 from run_tags as c where c.run_pk = ${sql.ref(`${env.owner}.id`)} and ${cond})`;
}

/** `cell = v` for one non-null literal. */
function equalsCond(env: SourceEnv, c: Cols, v: Exclude<QueryValue, null>): Bool {
  if (typeof v === "string") return c.text ? sql<SqlBool>`(${c.isStr} and ${c.text} = ${v})` : FALSE;
  const n = typeof v === "boolean" ? (v ? 1 : 0) : v;
  if (Number.isNaN(n)) return c.isNaN;
  return c.num ? sql<SqlBool>`${c.num} = ${env.dialect.number(n)}` : FALSE;
}

const ORDER_SQL = { lt: sql`<`, lte: sql`<=`, gt: sql`>`, gte: sql`>=` };

function isNullOrMissing(src: Source, env: SourceEnv): Bool {
  return sql<SqlBool>`not ${present(src, env, (c) => sql<SqlBool>`not ${c.isNull}`)}`;
}

/** The values of an `in` list by how SQL compares them (booleans are the numbers 1 and 0). */
function splitValues(values: readonly QueryValue[]) {
  const texts = new Set<string>();
  const nums = new Set<number>();
  const infinite = new Set<number>();
  let nan = false;
  let nul = false;
  for (const v of values) {
    if (v === null) nul = true;
    else if (typeof v === "string") texts.add(v);
    else if (typeof v === "boolean") nums.add(v ? 1 : 0);
    else if (Number.isNaN(v)) nan = true;
    else if (!Number.isFinite(v)) infinite.add(v);
    else nums.add(v);
  }
  return { texts: [...texts], nums: [...nums], infinite: [...infinite], nan, nul };
}

/** `value in (values)`: each kind of value bound as one array (see `inArray`), however long the list. */
function inList(src: Source, env: SourceEnv, values: QueryValue[]): Bool {
  const { texts, nums, infinite, nan, nul } = splitValues(values);
  const d = env.dialect;
  const cond = (c: Cols): Bool => {
    const parts: Bool[] = [];
    if (texts.length > 0 && c.text)
      parts.push(sql<SqlBool>`(${c.isStr} and ${d.inArray(c.text, texts, "text")})`);
    if (c.num) {
      if (nums.length > 0) parts.push(d.inArray(c.num, nums, "number"));
      for (const n of infinite) parts.push(sql<SqlBool>`${c.num} = ${d.number(n)}`);
    }
    if (nan) parts.push(c.isNaN);
    return or(parts);
  };
  const parts: Bool[] = [];
  if (texts.length + nums.length + infinite.length > 0 || nan) parts.push(present(src, env, cond));
  if (nul) parts.push(isNullOrMissing(src, env));
  return or(parts);
}

function likeNode(path: string, pattern: string, caseInsensitive: boolean, env: CompileEnv): Bool {
  const { src } = field(path, env);
  if (src.kind === "tags") return tagKeys(env, env.dialect.like(sql.ref("c.key"), pattern, caseInsensitive));
  return present(src, env, (c) =>
    c.text ? sql<SqlBool>`(${c.isStr} and ${env.dialect.like(c.text, pattern, caseInsensitive)})` : FALSE,
  );
}

type Compilers = { [K in QueryKind]: (n: Extract<QueryNode, { kind: K }>, env: CompileEnv) => Bool };

/** What a compilation needs: the dialect, the scope and its owner alias, and the row thresholds. */
export interface CompileEnv extends SourceEnv {
  scope: QueryScope;
}

function field(path: string, env: CompileEnv) {
  const f = resolveField(path, env.scope);
  if (typeof f === "string") throw new Error(`unchecked field ${path}`);
  return { f, src: sourceOf(f, env) };
}

const COMPILE: Compilers = {
  and: (n, env) =>
    sql<SqlBool>`(${sql.join(
      n.items.map((i) => compileNode(i, env)),
      sql` and `,
    )})`,
  or: (n, env) =>
    sql<SqlBool>`(${sql.join(
      n.items.map((i) => compileNode(i, env)),
      sql` or `,
    )})`,
  not: (n, env) => sql<SqlBool>`(not ${compileNode(n.item, env)})`,
  compare: (n, env) => {
    const { f, src } = field(n.field, env);
    const v = fieldLiteral(f, n.value);
    if (src.kind === "tags") {
      const has = tagKeys(env, sql<SqlBool>`c.key = ${v as string}`);
      return n.op === "eq" ? has : sql<SqlBool>`(not ${has})`;
    }
    if (n.op === "eq" || n.op === "ne") {
      const eq = v === null ? isNullOrMissing(src, env) : present(src, env, (c) => equalsCond(env, c, v));
      return n.op === "eq" ? eq : sql<SqlBool>`(not ${eq})`;
    }
    const op = ORDER_SQL[n.op];
    if (typeof v === "string") {
      return present(src, env, (c) =>
        c.text ? sql<SqlBool>`(${c.isStr} and ${env.dialect.binaryText(c.text)} ${op} ${v})` : FALSE,
      );
    }
    const num = typeof v === "boolean" ? (v ? 1 : 0) : (v as number);
    if (Number.isNaN(num)) return FALSE;
    return present(src, env, (c) =>
      c.num ? sql<SqlBool>`${c.num} ${op} ${env.dialect.number(num)}` : FALSE,
    );
  },
  in: (n, env) => {
    const { f, src } = field(n.field, env);
    const values = n.values.map((v) => fieldLiteral(f, v));
    const hit =
      src.kind === "tags"
        ? tagKeys(env, env.dialect.inArray(sql.ref("c.key"), [...new Set(values as string[])], "text"))
        : inList(src, env, values);
    return n.negated ? sql<SqlBool>`(not ${hit})` : hit;
  },
  like: (n, env) => likeNode(n.field, n.pattern, n.caseInsensitive, env),
  // A substring test is the `like` of its escaped text between two `%`.
  contains: (n, env) => likeNode(n.field, containsPattern(n.text), n.caseInsensitive, env),
  exists: (n, env) => {
    const { src } = field(n.field, env);
    if (src.kind === "tags") return tagKeys(env, TRUE);
    return present(src, env, () => TRUE);
  },
};

/**
 * Compiles a parsed query into a SQL boolean over the owner alias (`r` for runs, `w` for rows),
 * with every value bound. Its result equals the reference evaluator's on the same data.
 *
 * @example
 * const where = compileFilter(parseQuery("metrics.acc > 0.5"), { dialect: sqliteDialect, scope: "runs", owner: "r" });
 */
export function compileFilter(node: QueryNode | null, env: CompileEnv): Bool {
  if (node === null) return TRUE;
  const where = compileNode(node, env);
  // Params are read from their leaves: keep the filter to runs that have them (run-index.ts).
  return env.owner === "r" && refersToParams(node, env.scope)
    ? sql<SqlBool>`(${where} and ${paramsIndexed(env.dialect, sql.ref("r.id"))})`
    : where;
}

function compileNode(node: QueryNode, env: CompileEnv): Bool {
  return (COMPILE[node.kind] as (n: QueryNode, e: CompileEnv) => Bool)(node, env);
}
