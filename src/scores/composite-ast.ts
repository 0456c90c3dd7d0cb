/** The functions a composite expression may call, with their argument counts. */
export const COMPOSITE_FUNCTIONS = {
  min: { minArgs: 1, maxArgs: Number.POSITIVE_INFINITY },
  max: { minArgs: 1, maxArgs: Number.POSITIVE_INFINITY },
  abs: { minArgs: 1, maxArgs: 1 },
} as const;
export type CompositeFunction = keyof typeof COMPOSITE_FUNCTIONS;

/** Where a referenced value comes from: a row score (per datapoint) or a run metric (the run's summary). */
export type RefNamespace = "scores" | "metrics";

/**
 * The syntax tree of a composite expression: a union keyed by `kind`. `pos` is the 1-based
 * character position where the node starts in the expression text.
 */
export type CompositeNode =
  | { kind: "number"; value: number; pos: number }
  | { kind: "ref"; namespace: RefNamespace; name: string; pos: number }
  | { kind: "neg"; operand: CompositeNode; pos: number }
  | { kind: "binary"; op: "+" | "-" | "*" | "/"; left: CompositeNode; right: CompositeNode; pos: number }
  | { kind: "call"; fn: CompositeFunction; args: CompositeNode[]; pos: number };

export type CompositeKind = CompositeNode["kind"];

/** The node of one kind. */
export type NodeOf<K extends CompositeKind> = Extract<CompositeNode, { kind: K }>;

/**
 * Walks every node of a tree, parents first.
 *
 * @example
 * walkComposite(parseComposite("abs(scores.a)"), (n) => console.log(n.kind)); // call, ref
 */
export function walkComposite(node: CompositeNode, visit: (n: CompositeNode) => void): void {
  visit(node);
  const children: Record<CompositeKind, (n: never) => CompositeNode[]> = {
    number: () => [],
    ref: () => [],
    neg: (n: NodeOf<"neg">) => [n.operand],
    binary: (n: NodeOf<"binary">) => [n.left, n.right],
    call: (n: NodeOf<"call">) => n.args,
  };
  for (const c of children[node.kind](node as never)) walkComposite(c, visit);
}

/**
 * The score and metric names an expression reads, each in first-use order.
 *
 * @example
 * compositeNames(parseComposite("scores.a + metrics.b")); // { scores: ["a"], metrics: ["b"] }
 */
export function compositeNames(node: CompositeNode): Record<RefNamespace, string[]> {
  const out: Record<RefNamespace, Set<string>> = { scores: new Set(), metrics: new Set() };
  walkComposite(node, (n) => {
    if (n.kind === "ref") out[n.namespace].add(n.name);
  });
  return { scores: [...out.scores], metrics: [...out.metrics] };
}
