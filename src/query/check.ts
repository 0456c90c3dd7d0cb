import { describeValue, LabbookError } from "../core/errors.js";
import type { QueryNode, QueryScope, QueryValue } from "./ast.js";
import { type FieldRef, resolveField, timeLiteral } from "./fields.js";

/**
 * A query error at a string position (0-based) or a JSON path.
 *
 * @example
 * queryError({ position: 3 }, "a value", "`)`");
 */
export function queryError(
  where: { position: number } | { path: string },
  expected: string,
  received?: string,
): LabbookError {
  const at = "position" in where ? `filter at position ${where.position}` : `filter${where.path}`;
  const shown = received === undefined ? "" : `; received ${received}`;
  return new LabbookError("INVALID_ARGUMENT", `${at}: expected ${expected}${shown}`, {
    field: "position" in where ? "filter" : `filter${where.path}`,
    details: { ...where, expected, ...(received === undefined ? {} : { received }) },
  });
}

type Leaf = Exclude<QueryNode, { kind: "and" | "or" | "not" }>;

/**
 * What `field` resolves to, or an error message.
 *
 * @example
 * fieldOf("scores.f1", "rows"); // { kind: "score", name: "f1" }
 */
export function fieldOf(path: string, scope: QueryScope): FieldRef | string {
  return resolveField(path, scope);
}

function valueProblem(f: FieldRef, v: QueryValue, ordered: boolean): string | undefined {
  if (f.kind === "tags") {
    return typeof v === "string" ? undefined : "a tag key (a string): `tags` is the set of a run's tag keys";
  }
  if (ordered && v === null) return "a number, string or boolean (null has no order)";
  if (f.kind === "column" && f.type === "time" && typeof v === "string" && timeLiteral(v) === undefined) {
    return "a time: milliseconds since the epoch or an ISO date string";
  }
  return undefined;
}

/**
 * Checks a leaf against its field (known field, values the field can be compared with);
 * returns what was expected, or `undefined` when it is fine.
 *
 * @example
 * leafProblem({ kind: "compare", field: "tags", op: "gt", value: 1 }, "runs"); // "`=`, `!=`, ..."
 */
export function leafProblem(node: Leaf, scope: QueryScope): string | undefined {
  const f = resolveField(node.field, scope);
  if (typeof f === "string") return f;
  switch (node.kind) {
    case "compare":
      if (f.kind === "tags" && node.op !== "eq" && node.op !== "ne") {
        return "`=`, `!=`, `in`, `not in`, `like`, `ilike`, `contains`, `icontains` or `exists` on `tags` (a set of keys)";
      }
      return valueProblem(f, node.value, node.op !== "eq" && node.op !== "ne");
    case "in":
      if (node.values.length === 0) return "a non-empty list of values";
      for (const v of node.values) {
        const p = valueProblem(f, v, false);
        if (p) return p;
      }
      return undefined;
    case "like":
    case "contains":
    case "exists":
      return undefined;
  }
}

/**
 * Describes a received JSON value or token for an error.
 *
 * @example
 * received([1, 2]); // "an array of 2"
 */
export function received(v: unknown): string {
  return describeValue(v);
}
