import type {
  CompositeFunction,
  CompositeKind,
  CompositeNode,
  NodeOf,
  RefNamespace,
} from "./composite-ast.js";

/** Values a composite reads: by namespace and name (missing names read as NaN). */
export type CompositeEnv = Record<RefNamespace, Readonly<Record<string, number>>>;

/** A compiled expression: a function of the values. */
export type CompiledComposite = (env: CompositeEnv) => number;

const FUNCTIONS: Record<CompositeFunction, (args: number[]) => number> = {
  // Math.min/max propagate NaN, as they should here.
  min: (args) => Math.min(...args),
  max: (args) => Math.max(...args),
  abs: (args) => Math.abs(args[0]!),
};

const OPS: Record<NodeOf<"binary">["op"], (a: number, b: number) => number> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  // Division by zero (either sign, 0/0 included) is NaN, never an infinity.
  "/": (a, b) => (b === 0 ? Number.NaN : a / b),
};

const COMPILE: Record<CompositeKind, (n: never) => CompiledComposite> = {
  number: (n: NodeOf<"number">) => () => n.value,
  ref: (n: NodeOf<"ref">) => (env) => {
    const v = env[n.namespace][n.name];
    return typeof v === "number" ? v : Number.NaN;
  },
  neg: (n: NodeOf<"neg">) => {
    const f = compileComposite(n.operand);
    return (env) => -f(env);
  },
  binary: (n: NodeOf<"binary">) => {
    const l = compileComposite(n.left);
    const r = compileComposite(n.right);
    const op = OPS[n.op];
    return (env) => op(l(env), r(env));
  },
  call: (n: NodeOf<"call">) => {
    const args = n.args.map(compileComposite);
    const fn = FUNCTIONS[n.fn];
    return (env) => fn(args.map((a) => a(env)));
  },
};

/**
 * Compiles a parsed composite into a function of the values (closures, no `eval`). A missing
 * value reads as NaN; NaN propagates; division by zero gives NaN.
 *
 * @example
 * const f = compileComposite(parseComposite("scores.a / scores.b"));
 * f({ scores: { a: 1, b: 4 }, metrics: {} }); // 0.25
 * f({ scores: { a: 1, b: 0 }, metrics: {} }); // NaN
 */
export function compileComposite(node: CompositeNode): CompiledComposite {
  return COMPILE[node.kind](node as never);
}
