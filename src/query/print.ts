import type { CompareOp, QueryKind, QueryNode, QueryValue } from "./ast.js";

const PLAIN_FIELD = /^[\p{L}_][\p{L}\p{N}_.\-/:@]*$/u;
const PLAIN_HEAD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set([
  "and",
  "or",
  "not",
  "in",
  "like",
  "ilike",
  "contains",
  "icontains",
  "exists",
  "true",
  "false",
  "null",
  "nan",
  "infinity",
]);
const OP_TEXT: Record<CompareOp, string> = { eq: "=", ne: "!=", lt: "<", lte: "<=", gt: ">", gte: ">=" };
const OP_JSON: Record<CompareOp, string> = {
  eq: "$eq",
  ne: "$ne",
  lt: "$lt",
  lte: "$lte",
  gt: "$gt",
  gte: "$gte",
};

/**
 * A literal in the string syntax.
 *
 * @example
 * printValue(NaN); // "NaN"
 */
export function printValue(v: QueryValue): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  return String(v);
}

const quote = (s: string) => `\`${s.replace(/[`\\]/g, "\\$&")}\``;

/**
 * A field path in the string syntax: as it is when plain (letters of any script, digits,
 * `_ . - / : @`), else with the part after its namespace in backquotes (`` ` `` and `\`
 * escaped by a backslash), or wholly in backquotes.
 *
 * @example
 * printField("metrics.my metric"); // "metrics.`my metric`"
 * printField("metrics.精度"); // "metrics.精度"
 */
export function printField(f: string): string {
  if (PLAIN_FIELD.test(f) && !KEYWORDS.has(f.toLowerCase())) return f;
  const dot = f.indexOf(".");
  const head = f.slice(0, dot);
  return dot > 0 && PLAIN_HEAD.test(head) && !KEYWORDS.has(head.toLowerCase())
    ? `${head}.${quote(f.slice(dot + 1))}`
    : quote(f);
}

type Printer = { [K in QueryKind]: (n: Extract<QueryNode, { kind: K }>) => string };

const PREC: Record<QueryKind, number> = {
  or: 1,
  and: 2,
  not: 3,
  compare: 4,
  in: 4,
  like: 4,
  contains: 4,
  exists: 4,
};

function wrap(n: QueryNode, min: number): string {
  const s = printQuery(n);
  return PREC[n.kind] < min ? `(${s})` : s;
}

const PRINT: Printer = {
  or: (n) => n.items.map((i) => wrap(i, 2)).join(" or "),
  and: (n) => n.items.map((i) => wrap(i, 3)).join(" and "),
  not: (n) => `not ${wrap(n.item, 3)}`,
  compare: (n) => `${printField(n.field)} ${OP_TEXT[n.op]} ${printValue(n.value)}`,
  in: (n) => `${printField(n.field)} ${n.negated ? "not in" : "in"} (${n.values.map(printValue).join(", ")})`,
  like: (n) => `${printField(n.field)} ${n.caseInsensitive ? "ilike" : "like"} ${JSON.stringify(n.pattern)}`,
  contains: (n) =>
    `${printField(n.field)} ${n.caseInsensitive ? "icontains" : "contains"} ${JSON.stringify(n.text)}`,
  exists: (n) => `${printField(n.field)} exists`,
};

/**
 * Prints a query in the string syntax; parsing the result gives the same tree.
 *
 * @example
 * printQuery(parseQuery('a.b=1 AND (c.d="x" OR c.e<2)')!); // 'a.b = 1 and (c.d = "x" or c.e < 2)'
 */
export function printQuery(node: QueryNode | null): string {
  if (node === null) return "";
  return (PRINT[node.kind] as (n: QueryNode) => string)(node);
}

function jsonValue(v: QueryValue): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? { $float: String(v) } : v;
}

type JsonPrinter = { [K in QueryKind]: (n: Extract<QueryNode, { kind: K }>) => Record<string, unknown> };

const JSON_PRINT: JsonPrinter = {
  and: (n) => ({ $and: n.items.map(toJsonQuery) }),
  or: (n) => ({ $or: n.items.map(toJsonQuery) }),
  not: (n) => ({ $not: toJsonQuery(n.item) }),
  compare: (n) => ({ [n.field]: { [OP_JSON[n.op]]: jsonValue(n.value) } }),
  in: (n) => ({ [n.field]: { [n.negated ? "$nin" : "$in"]: n.values.map(jsonValue) } }),
  like: (n) => ({ [n.field]: { [n.caseInsensitive ? "$sqlIlike" : "$sqlLike"]: n.pattern } }),
  contains: (n) => ({ [n.field]: { [n.caseInsensitive ? "$ilike" : "$like"]: n.text } }),
  exists: (n) => ({ [n.field]: { $exists: true } }),
};

/**
 * Prints a query in the JSON-operator syntax (plain JSON: NaN and infinities as `{"$float": ...}`).
 *
 * @example
 * toJsonQuery(parseQuery("metrics.acc > 0.5")!); // { "metrics.acc": { $gt: 0.5 } }
 */
export function toJsonQuery(node: QueryNode | null): Record<string, unknown> {
  if (node === null) return {};
  return (JSON_PRINT[node.kind] as (n: QueryNode) => Record<string, unknown>)(node);
}
