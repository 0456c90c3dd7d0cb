import type { QueryNode } from "./ast.js";
import { queryError } from "./check.js";

/**
 * How deep a filter may nest `not`, parentheses, `$and`, `$or` and `$not`. A filter is compiled
 * into one SQL expression, and databases bound an expression's depth (SQLite: 1,000).
 */
export const MAX_QUERY_DEPTH = 64;

/**
 * How many conditions (comparisons, `in`, `like`, `exists`) a filter may hold. A long list of
 * values is one condition: `params.id in (...)` takes any number of values.
 */
export const MAX_QUERY_CONDITIONS = 500;

/**
 * The error for a filter nested past {@link MAX_QUERY_DEPTH}, at a string position or a JSON path.
 *
 * @example
 * tooDeep({ position: 260 }); // filter at position 260: expected at most 64 levels of nesting ...
 */
export function tooDeep(where: { position: number } | { path: string }) {
  return queryError(
    where,
    `at most ${MAX_QUERY_DEPTH} levels of nesting (not, parentheses, $and, $or, $not): the limit`,
    `level ${MAX_QUERY_DEPTH + 1}`,
  );
}

/**
 * Refuses a filter of more than {@link MAX_QUERY_CONDITIONS} conditions, naming the limit and
 * the count; returns the node.
 *
 * @example
 * checkConditionCount(parseStringQuery("a = 1")); // the node
 */
export function checkConditionCount<T extends QueryNode | null>(node: T): T {
  if (node === null) return node;
  let count = 0;
  const stack: QueryNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.kind === "and" || n.kind === "or") for (const item of n.items) stack.push(item);
    else if (n.kind === "not") stack.push(n.item);
    else count++;
  }
  if (count > MAX_QUERY_CONDITIONS) {
    throw queryError(
      { path: "" },
      `at most ${MAX_QUERY_CONDITIONS} conditions: the limit (a list of values in one \`in (...)\` or $in is one condition)`,
      `${count} conditions`,
    );
  }
  return node;
}
