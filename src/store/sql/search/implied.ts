import { junction, type QueryNode } from "../../../query/ast.js";

function isNumber(v: unknown): boolean {
  return (typeof v === "number" && !Number.isNaN(v)) || typeof v === "boolean";
}

/**
 * Fields that every match of a filter holds as a number other than NaN: those compared with a
 * number by `=`, `<`, `<=`, `>`, `>=` or `in` (numbers only) in the filter's top-level `and`.
 * A sort on such a field needs no null or NaN class.
 *
 * @example
 * impliedNumeric(parseQuery("metrics.acc > 0.5 and params.m = 'b'")); // Set { "metrics.acc" }
 */
export function impliedNumeric(node: QueryNode | null): Set<string> {
  const out = new Set<string>();
  if (node === null) return out;
  const conjuncts = node.kind === "and" ? node.items : [node];
  for (const c of conjuncts) {
    if (c.kind === "compare" && c.op !== "ne" && isNumber(c.value)) out.add(c.field);
    if (c.kind === "in" && !c.negated && c.values.every(isNumber)) out.add(c.field);
  }
  return out;
}

/** A top-level range on a metric that can drive a search from the `(name, value)` index. */
export interface MetricRange {
  field: string;
  name: string;
  conds: { op: "eq" | "lt" | "lte" | "gt" | "gte"; value: number }[];
}

/**
 * The metric ranges of a filter's top-level `and` (numbers other than NaN): the store joins the
 * metric on them so the planner can read only the index range, and count without a scan.
 *
 * @example
 * metricRanges(parseQuery("metrics.acc > 0.5")); // [{ field: "metrics.acc", name: "acc", conds: [{ op: "gt", value: 0.5 }] }]
 */
export function metricRanges(node: QueryNode | null): MetricRange[] {
  if (node === null) return [];
  const byField = new Map<string, MetricRange>();
  for (const c of node.kind === "and" ? node.items : [node]) {
    if (c.kind !== "compare" || c.op === "ne" || !c.field.startsWith("metrics.") || !isNumber(c.value))
      continue;
    const r = byField.get(c.field) ?? { field: c.field, name: c.field.slice(8), conds: [] };
    r.conds.push({ op: c.op, value: typeof c.value === "boolean" ? Number(c.value) : (c.value as number) });
    byField.set(c.field, r);
  }
  return [...byField.values()];
}

/**
 * The filter without the top-level comparisons a {@link MetricRange} holds (`null`: nothing left).
 *
 * @example
 * withoutRange(parseQuery("metrics.acc > 0.5 and status = 'x'")!, metricRanges(q)[0]!); // status = "x"
 */
export function withoutRange(node: QueryNode, range: MetricRange): QueryNode | null {
  const items = (node.kind === "and" ? node.items : [node]).filter(
    (c) => !(c.kind === "compare" && c.field === range.field && c.op !== "ne" && isNumber(c.value)),
  );
  return items.length === 0 ? null : junction("and", items);
}
