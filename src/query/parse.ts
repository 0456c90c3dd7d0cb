import { LabbookError } from "../core/errors.js";
import type { QueryNode, QueryScope } from "./ast.js";
import { leafProblem, queryError } from "./check.js";
import { checkConditionCount, MAX_QUERY_DEPTH, tooDeep } from "./limits.js";
import { parseJsonQuery } from "./parse-json.js";
import { parseStringQuery } from "./parse-string.js";

/** A filter in either syntax, or an already parsed tree. */
export type ParseQueryInput = string | Record<string, unknown> | QueryNode | null | undefined;

function isNode(q: object): q is QueryNode {
  const k = (q as { kind?: unknown }).kind;
  return (
    typeof k === "string" &&
    ["and", "or", "not", "compare", "in", "like", "contains", "exists"].includes(k) &&
    !("$and" in q)
  );
}

/** Checks a tree given as it is (fields and values), as the parsers check theirs. */
function checkTree(node: QueryNode, scope: QueryScope, path: string, depth = 0): QueryNode {
  if (depth > MAX_QUERY_DEPTH) throw tooDeep({ path });
  if (node.kind === "and" || node.kind === "or") {
    if (!Array.isArray(node.items) || node.items.length === 0) {
      throw queryError({ path: `${path}.items` }, `a non-empty list of queries for ${node.kind}`);
    }
    for (const [i, item] of node.items.entries()) checkTree(item, scope, `${path}.items[${i}]`, depth + 1);
  } else if (node.kind === "not") checkTree(node.item, scope, `${path}.item`, depth + 1);
  else {
    const problem = leafProblem(node, scope);
    if (problem) throw queryError({ path }, problem);
  }
  return node;
}

/**
 * Parses a filter given in either syntax (a string, or a JSON-operator object; a string that
 * starts with `{` is read as JSON). `null`, `undefined`, `""` and `{}` match everything and give
 * `null`. Throws `INVALID_ARGUMENT` naming the position or path and what was expected.
 *
 * @example
 * parseQuery('metrics.acc > 0.9 and params.model = "b"');
 * parseQuery({ "metrics.acc": { $gt: 0.9 }, "params.model": "b" }); // the same tree
 */
export function parseQuery(input: ParseQueryInput, scope: QueryScope = "runs"): QueryNode | null {
  if (input === null || input === undefined) return null;
  if (typeof input === "string") {
    const trimmed = input.trim();
    if (trimmed.startsWith("{")) {
      let json: unknown;
      try {
        json = JSON.parse(trimmed);
      } catch (e) {
        throw new LabbookError("INVALID_ARGUMENT", `filter: expected valid JSON; ${(e as Error).message}`, {
          field: "filter",
        });
      }
      return parseJsonQuery(json, scope);
    }
    return parseStringQuery(input, scope);
  }
  if (typeof input === "object" && !Array.isArray(input) && isNode(input)) {
    return checkConditionCount(checkTree(input, scope, ""));
  }
  return parseJsonQuery(input, scope);
}
