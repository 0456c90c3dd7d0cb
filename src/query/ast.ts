/**
 * The one abstract syntax tree of labbook queries, produced by both surface syntaxes
 * (JSON operators and the string syntax) and consumed by the printer, the reference
 * evaluator and the SQL compilers. A union keyed by `kind`. The semantics are written
 * down once, in `SEMANTICS.md` beside this file.
 */

/** A literal of a query: numbers may be `NaN` or infinite; `-0` is normalised to `0`. */
export type QueryValue = number | string | boolean | null;

/** The comparison operators (`=`, `!=`, `<`, `<=`, `>`, `>=`). */
export type CompareOp = "eq" | "ne" | "lt" | "lte" | "gt" | "gte";

export interface AndNode {
  kind: "and";
  /** Two or more sub-queries (nested `and`s are flattened). */
  items: QueryNode[];
}
export interface OrNode {
  kind: "or";
  /** Two or more sub-queries (nested `or`s are flattened). */
  items: QueryNode[];
}
export interface NotNode {
  kind: "not";
  item: QueryNode;
}
export interface CompareNode {
  kind: "compare";
  field: string;
  op: CompareOp;
  value: QueryValue;
}
export interface InNode {
  kind: "in";
  field: string;
  /** `not in` / `$nin`. */
  negated: boolean;
  values: QueryValue[];
}
export interface LikeNode {
  kind: "like";
  field: string;
  pattern: string;
  /** `ilike` / `$ilike`: ASCII letters compare without case. */
  caseInsensitive: boolean;
}
/**
 * A substring test: the field is a string holding `text` (the NVIDIA evaluator's `$like`;
 * `contains` in the string syntax). No wildcard: every character of `text` is literal.
 */
export interface ContainsNode {
  kind: "contains";
  field: string;
  text: string;
  /** `$ilike` / `icontains`: ASCII letters compare without case. */
  caseInsensitive: boolean;
}
export interface ExistsNode {
  kind: "exists";
  field: string;
}

/** One node of a query tree. */
export type QueryNode =
  | AndNode
  | OrNode
  | NotNode
  | CompareNode
  | InNode
  | LikeNode
  | ContainsNode
  | ExistsNode;
export type QueryKind = QueryNode["kind"];

/** What a query is about: runs (`metrics.acc`, `params.lr`...) or the rows of a run (`scores.x`, `item.y`...). */
export type QueryScope = "runs" | "rows";

/**
 * Builds an `and`/`or` node, flattening nested nodes of the same kind; one item is returned alone.
 *
 * @example
 * junction("and", [a, junction("and", [b, c])]); // { kind: "and", items: [a, b, c] }
 */
export function junction(kind: "and" | "or", items: QueryNode[]): QueryNode {
  const flat: QueryNode[] = [];
  for (const it of items) {
    if (it.kind === kind) flat.push(...it.items);
    else flat.push(it);
  }
  if (flat.length === 1) return flat[0]!;
  return { kind, items: flat };
}

/**
 * Normalises a literal number (`-0` becomes `0`).
 *
 * @example
 * normNumber(-0); // 0
 */
export function normNumber(n: number): number {
  return Object.is(n, -0) ? 0 : n;
}
