import type { CompareOp, QueryNode, QueryScope, QueryValue } from "./ast.js";
import { junction, normNumber } from "./ast.js";
import { leafProblem, queryError, received } from "./check.js";
import { checkConditionCount, MAX_QUERY_DEPTH, tooDeep } from "./limits.js";

const COMPARE: Record<string, CompareOp> = {
  $eq: "eq",
  $ne: "ne",
  $lt: "lt",
  $lte: "lte",
  $gt: "gt",
  $gte: "gte",
};
const FIELD_OPS =
  "$eq, $ne, $lt, $lte, $gt, $gte, $in, $nin, $like, $ilike, $sqlLike, $sqlIlike, $exists, $not";
const VALUE = "a number, string, boolean or null";

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** `{"$float": "NaN" | "Infinity" | "-Infinity"}` spells the numbers JSON cannot. */
function taggedFloat(v: Record<string, unknown>): number | undefined {
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] !== "$float") return undefined;
  const s = v.$float;
  return s === "NaN" || s === "Infinity" || s === "-Infinity" ? Number(s) : undefined;
}

function literal(v: unknown, path: string): QueryValue {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return normNumber(v);
  if (isObject(v)) {
    const f = taggedFloat(v);
    if (f !== undefined) return f;
  }
  throw queryError({ path }, VALUE, received(v));
}

function leaf(node: QueryNode, path: string, scope: QueryScope): QueryNode {
  if (node.kind !== "and" && node.kind !== "or" && node.kind !== "not") {
    const problem = leafProblem(node, scope);
    if (problem) throw queryError({ path }, problem);
  }
  return node;
}

function fieldOps(field: string, spec: unknown, path: string, scope: QueryScope, depth: number): QueryNode {
  if (depth > MAX_QUERY_DEPTH) throw tooDeep({ path });
  if (!isObject(spec) || taggedFloat(spec) !== undefined) {
    if (Array.isArray(spec))
      throw queryError({ path }, `${VALUE}, or an object of operators (${FIELD_OPS})`, received(spec));
    return leaf({ kind: "compare", field, op: "eq", value: literal(spec, path) }, path, scope);
  }
  const entries = Object.entries(spec);
  if (entries.length === 0)
    throw queryError({ path }, `an object of operators (${FIELD_OPS})`, "an empty object");
  const items = entries.map(([op, v]): QueryNode => {
    const at = `${path}.${op}`;
    if (!op.startsWith("$")) {
      throw queryError(
        { path },
        `${VALUE}, or an object of operators (${FIELD_OPS}); a field cannot be compared with an object`,
        `an object with key ${JSON.stringify(op)}`,
      );
    }
    const cmp = COMPARE[op];
    if (cmp) return leaf({ kind: "compare", field, op: cmp, value: literal(v, at) }, at, scope);
    switch (op) {
      case "$in":
      case "$nin":
        if (!Array.isArray(v)) throw queryError({ path: at }, `a list of values for ${op}`, received(v));
        return leaf(
          { kind: "in", field, negated: op === "$nin", values: v.map((x, i) => literal(x, `${at}[${i}]`)) },
          at,
          scope,
        );
      case "$like":
      case "$ilike":
        // The NVIDIA evaluator's meaning: a substring match.
        if (typeof v !== "string") throw queryError({ path: at }, `a substring for ${op}`, received(v));
        return leaf({ kind: "contains", field, text: v, caseInsensitive: op === "$ilike" }, at, scope);
      case "$sqlLike":
      case "$sqlIlike":
        if (typeof v !== "string")
          throw queryError({ path: at }, `a pattern string (% and _) for ${op}`, received(v));
        return leaf({ kind: "like", field, pattern: v, caseInsensitive: op === "$sqlIlike" }, at, scope);
      case "$exists": {
        if (typeof v !== "boolean") throw queryError({ path: at }, "true or false for $exists", received(v));
        const node = leaf({ kind: "exists", field }, at, scope);
        return v ? node : { kind: "not", item: node };
      }
      case "$not":
        return { kind: "not", item: fieldOps(field, v, at, scope, depth + 1) };
      default:
        throw queryError({ path }, `an operator (${FIELD_OPS})`, JSON.stringify(op));
    }
  });
  return junction("and", items);
}

function parseObject(q: unknown, path: string, scope: QueryScope, depth: number): QueryNode {
  if (depth > MAX_QUERY_DEPTH) throw tooDeep({ path });
  if (!isObject(q))
    throw queryError(
      { path: path || "" },
      "an object of fields and operators ($and, $or, $not)",
      received(q),
    );
  const entries = Object.entries(q);
  if (entries.length === 0)
    throw queryError({ path }, "a non-empty object of fields and operators", "an empty object");
  const items = entries.map(([key, v]): QueryNode => {
    const at = `${path}.${key}`;
    if (key === "$and" || key === "$or") {
      if (!Array.isArray(v) || v.length === 0) {
        throw queryError({ path: at }, `a non-empty list of queries for ${key}`, received(v));
      }
      return junction(
        key === "$and" ? "and" : "or",
        v.map((x, i) => parseObject(x, `${at}[${i}]`, scope, depth + 1)),
      );
    }
    if (key === "$not") return { kind: "not", item: parseObject(v, at, scope, depth + 1) };
    if (key.startsWith("$"))
      throw queryError({ path }, "a field or $and, $or, $not", `the operator ${JSON.stringify(key)}`);
    return fieldOps(key, v, at, scope, depth);
  });
  return junction("and", items);
}

/**
 * Parses the JSON-operator syntax (`$eq $ne $lt $lte $gt $gte $in $nin $like $ilike $sqlLike
 * $sqlIlike $exists $and $or $not`; a bare value means `$eq`; `$like`/`$ilike` are substring
 * matches as in the NVIDIA evaluator, `$sqlLike`/`$sqlIlike` take SQL patterns with `%` and
 * `_`; `{"$float": "NaN"}` spells NaN). An empty object matches
 * everything (`null`). Errors are `INVALID_ARGUMENT` naming the path (`filter.$or[1].params.lr.$lt`)
 * and what was expected.
 *
 * @example
 * parseJsonQuery({ "metrics.acc": { $gt: 0.9 }, tags: { $in: ["baseline"] } });
 */
export function parseJsonQuery(query: unknown, scope: QueryScope = "runs"): QueryNode | null {
  if (isObject(query) && Object.keys(query).length === 0) return null;
  return checkConditionCount(parseObject(query, "", scope, 0));
}
