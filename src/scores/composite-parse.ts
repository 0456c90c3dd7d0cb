import { invalid, LabbookError } from "../core/errors.js";
import {
  COMPOSITE_FUNCTIONS,
  type CompositeFunction,
  type CompositeNode,
  type RefNamespace,
} from "./composite-ast.js";
import { syntaxError, type Token, tokenize } from "./composite-lex.js";

/** Binding power of the binary operators: `*` and `/` before `+` and `-`, all left-associative. */
const BINARY: Record<string, number> = { "+": 1, "-": 1, "*": 2, "/": 2 };
/** Unary minus binds tighter than every binary operator. */
const UNARY = 3;
const MAX_LENGTH = 10_000;
const MAX_DEPTH = 200;

class Parser {
  #at = 0;
  #depth = 0;
  constructor(
    readonly expression: string,
    readonly tokens: Token[],
  ) {}

  peek(): Token {
    return this.tokens[this.#at]!;
  }
  next(): Token {
    return this.tokens[this.#at++]!;
  }
  expect(text: string, expected: string): Token {
    const t = this.next();
    if (t.text !== text || t.type === "string") throw syntaxError(this.expression, t.pos, expected, t.text);
    return t;
  }

  /** Pratt loop: a prefix, then binary operators binding at least as tightly as `min`. */
  expr(min: number): CompositeNode {
    if (++this.#depth > MAX_DEPTH) {
      throw syntaxError(
        this.expression,
        this.peek().pos,
        `at most ${MAX_DEPTH} levels of nesting`,
        this.peek().text,
      );
    }
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      const power = t.type === "punct" ? BINARY[t.text] : undefined;
      if (power === undefined || power < min) break;
      this.next();
      const right = this.expr(power + 1);
      left = { kind: "binary", op: t.text as "+", left, right, pos: left.pos };
    }
    this.#depth--;
    return left;
  }

  prefix(): CompositeNode {
    const t = this.next();
    if (t.type === "number") return { kind: "number", value: t.value, pos: t.pos };
    if (t.type === "punct" && t.text === "-") return { kind: "neg", operand: this.expr(UNARY), pos: t.pos };
    if (t.type === "punct" && t.text === "+") return this.expr(UNARY);
    if (t.type === "punct" && t.text === "(") {
      const inner = this.expr(0);
      this.expect(")", '")"');
      return inner;
    }
    if (t.type === "name")
      return this.peek().text === "(" && this.peek().type === "punct" ? this.call(t) : this.ref(t);
    throw syntaxError(this.expression, t.pos, 'a number, a name, "-" or "("', t.text);
  }

  call(t: Token): CompositeNode {
    if (!Object.hasOwn(COMPOSITE_FUNCTIONS, t.text)) {
      throw unknownName(
        this.expression,
        t,
        `unknown function ${JSON.stringify(t.text)}; functions: min, max, abs`,
      );
    }
    const fn = t.text as CompositeFunction;
    this.next(); // (
    const args: CompositeNode[] = [];
    if (this.peek().text !== ")" || this.peek().type !== "punct") {
      args.push(this.expr(0));
      while (this.peek().text === "," && this.peek().type === "punct") {
        this.next();
        args.push(this.expr(0));
      }
    }
    const close = this.expect(")", '"," or ")"');
    const { minArgs, maxArgs } = COMPOSITE_FUNCTIONS[fn];
    if (args.length < minArgs || args.length > maxArgs) {
      const wanted = maxArgs === minArgs ? `exactly ${minArgs}` : `at least ${minArgs}`;
      throw syntaxError(this.expression, close.pos, `${wanted} argument(s) to ${fn}()`, `${args.length}`);
    }
    return { kind: "call", fn, args, pos: t.pos };
  }

  ref(t: Token): CompositeNode {
    const dot = t.text.indexOf(".");
    const head = dot < 0 ? t.text : t.text.slice(0, dot);
    if (head !== "scores" && head !== "metrics") {
      throw unknownName(
        this.expression,
        t,
        `unknown name ${JSON.stringify(t.text)}; use scores.<name> or metrics.<name>`,
      );
    }
    const namespace = head as RefNamespace;
    if (dot < 0) {
      // scores["any name"]
      this.expect("[", '"." or "[" after scores or metrics');
      const s = this.next();
      if (s.type !== "string" || s.value.length === 0) {
        throw syntaxError(this.expression, s.pos, "a non-empty JSON string", s.text);
      }
      this.expect("]", '"]"');
      return { kind: "ref", namespace, name: s.value, pos: t.pos };
    }
    const name = t.text.slice(dot + 1);
    if (name.length === 0) throw syntaxError(this.expression, t.pos + dot + 1, `a name after "${head}."`, "");
    return { kind: "ref", namespace, name, pos: t.pos };
  }
}

function unknownName(expression: string, t: Token, message: string): LabbookError {
  return new LabbookError(
    "INVALID_ARGUMENT",
    `expression: ${message} at position ${t.pos} in ${JSON.stringify(expression)}`,
    {
      field: "expression",
      details: { position: t.pos, received: t.text },
    },
  );
}

/**
 * Parses a composite metric expression (no `eval`): numbers, `scores.<name>` (a row score,
 * per datapoint), `metrics.<name>` (a run summary metric), `scores["any name"]`, `+ - * /`
 * with the usual precedence (left-associative), unary minus, parentheses, and the functions
 * `min(a, b, ...)`, `max(a, b, ...)`, `abs(a)`. Errors are `INVALID_ARGUMENT` naming the
 * 1-based position (`details.position`), what was expected and what was found; an unknown
 * function or name (anything but `scores.` and `metrics.`) is reported the same way.
 *
 * @example
 * parseComposite("0.7 * scores.correct + 0.3 * scores.fluency");
 * parseComposite("1 +* 2"); // throws: expected a number, a name, "-" or "(" at position 4, found "*"
 */
export function parseComposite(expression: string): CompositeNode {
  if (typeof expression !== "string" || expression.trim() === "") {
    throw invalid("expression", "must be a non-empty string", expression);
  }
  if (expression.length > MAX_LENGTH)
    throw invalid("expression", `must be at most ${MAX_LENGTH} characters`, expression);
  const p = new Parser(expression, tokenize(expression));
  const node = p.expr(0);
  const rest = p.next();
  if (rest.type !== "end") throw syntaxError(expression, rest.pos, "an operator or the end", rest.text);
  return node;
}
