import type { QueryKind, QueryNode, QueryScope } from "../../../query/ast.js";
import { resolveField } from "../../../query/fields.js";

type Walkers = { [K in QueryKind]: (n: Extract<QueryNode, { kind: K }>, scope: QueryScope) => boolean };

const isParam = (path: string, scope: QueryScope) => {
  const f = resolveField(path, scope);
  return typeof f !== "string" && f.kind === "param";
};

const WALK: Walkers = {
  and: (n, scope) => n.items.some((i) => refersToParams(i, scope)),
  or: (n, scope) => n.items.some((i) => refersToParams(i, scope)),
  not: (n, scope) => refersToParams(n.item, scope),
  compare: (n, scope) => isParam(n.field, scope),
  in: (n, scope) => isParam(n.field, scope),
  like: (n, scope) => isParam(n.field, scope),
  contains: (n, scope) => isParam(n.field, scope),
  exists: (n, scope) => isParam(n.field, scope),
};

/**
 * Whether a parsed filter reads a run param (`params.*`): such a read needs the runs' param
 * leaves written first (`syncRunIndex`).
 *
 * @example
 * refersToParams(parseQuery('params.model = "b"', "runs"), "runs"); // true
 */
export function refersToParams(node: QueryNode | null, scope: QueryScope): boolean {
  if (node === null) return false;
  return (WALK[node.kind] as (n: QueryNode, s: QueryScope) => boolean)(node, scope);
}
