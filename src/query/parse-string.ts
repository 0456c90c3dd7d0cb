import type { CompareOp, QueryNode, QueryScope, QueryValue } from "./ast.js";
import { junction, normNumber } from "./ast.js";
import { leafProblem, queryError } from "./check.js";
import { type Token, tokenize } from "./lexer.js";
import { checkConditionCount, MAX_QUERY_DEPTH, tooDeep } from "./limits.js";

const OPS: Record<string, CompareOp> = {
  "=": "eq",
  "!=": "ne",
  "<": "lt",
  "<=": "lte",
  ">": "gt",
  ">=": "gte",
};
const OPERATORS =
  "an operator (=, !=, <, <=, >, >=, in, not in, like, not like, ilike, not ilike, contains, not contains, icontains, not icontains, exists)";
const AFTER_NOT = new Set(["in", "like", "ilike", "contains", "icontains"]);
const VALUE = "a value (a quoted string, a number, true, false, null, NaN)";

function show(t: Token): string {
  switch (t.t) {
    case "end":
      return "the end of the filter";
    case "string":
      return JSON.stringify(t.v);
    case "ident":
      return t.quoted ? `\`${t.v}\`` : `\`${t.v}\``;
    default:
      return `\`${String(t.v)}\``;
  }
}

function keyword(t: Token, word: string): boolean {
  return t.t === "ident" && !t.quoted && t.v.toLowerCase() === word;
}

class Parser {
  private i = 0;
  /** `not` and parentheses open around the current position. */
  private depth = 0;
  constructor(
    private readonly toks: Token[],
    private readonly scope: QueryScope,
  ) {}

  private peek(): Token {
    return this.toks[this.i]!;
  }
  private next(): Token {
    return this.toks[this.i++]!;
  }
  private fail(t: Token, expected: string): never {
    throw queryError({ position: t.pos }, expected, show(t));
  }
  private expectPunct(v: "(" | ")" | ",", expected: string): void {
    const t = this.next();
    if (t.t !== "punct" || t.v !== v) this.fail(t, expected);
  }

  parse(): QueryNode {
    const node = this.or();
    const t = this.peek();
    if (t.t !== "end") this.fail(t, "`and`, `or` or the end of the filter");
    return node;
  }

  private or(): QueryNode {
    const items = [this.and()];
    while (keyword(this.peek(), "or")) {
      this.next();
      items.push(this.and());
    }
    return junction("or", items);
  }

  private and(): QueryNode {
    const items = [this.unary()];
    while (keyword(this.peek(), "and")) {
      this.next();
      items.push(this.unary());
    }
    return junction("and", items);
  }

  private unary(): QueryNode {
    const t = this.peek();
    const nests = keyword(t, "not") || (t.t === "punct" && t.v === "(");
    if (!nests) return this.predicate();
    if (++this.depth > MAX_QUERY_DEPTH) throw tooDeep({ position: t.pos });
    this.next();
    let node: QueryNode;
    if (t.t === "punct") {
      node = this.or();
      this.expectPunct(")", "`)` to close the parenthesis, `and` or `or`");
    } else {
      node = { kind: "not", item: this.unary() };
    }
    this.depth--;
    return node;
  }

  private value(): QueryValue {
    const t = this.next();
    if (t.t === "string") return t.v;
    if (t.t === "number") return normNumber(t.v);
    if (t.t === "ident" && !t.quoted) {
      const w = t.v.toLowerCase();
      if (w === "true") return true;
      if (w === "false") return false;
      if (w === "null") return null;
      if (t.v === "NaN") return Number.NaN;
      if (t.v === "Infinity") return Number.POSITIVE_INFINITY;
    }
    return this.fail(t, VALUE);
  }

  private list(): QueryValue[] {
    this.expectPunct("(", 'a parenthesised list of values after `in`, such as ("a", "b")');
    const values = [this.value()];
    for (;;) {
      const t = this.next();
      if (t.t === "punct" && t.v === ")") return values;
      if (t.t !== "punct" || t.v !== ",") this.fail(t, "`,` or `)` in the list of values");
      values.push(this.value());
    }
  }

  private predicate(): QueryNode {
    const f = this.next();
    if (f.t !== "ident") this.fail(f, "a field, `not` or `(`");
    const field = f.v;
    const ahead = this.peek();
    if (
      ahead.t === "end" ||
      (ahead.t === "punct" && ahead.v === ")") ||
      keyword(ahead, "and") ||
      keyword(ahead, "or")
    ) {
      // A bare field is `field = true` (`not passed`).
      const bare: QueryNode = { kind: "compare", field, op: "eq", value: true };
      const problem = leafProblem(bare as Exclude<QueryNode, { kind: "and" | "or" | "not" }>, this.scope);
      if (problem) throw queryError({ position: f.pos }, problem, `\`${field}\``);
      return bare;
    }
    const op = this.next();
    let node: QueryNode;
    let negate = false;
    if (op.t === "op") {
      node = { kind: "compare", field, op: OPS[op.v]!, value: this.value() };
    } else {
      let word = op.t === "ident" && !op.quoted ? op.v.toLowerCase() : "";
      if (word === "not") {
        negate = true;
        const n = this.next();
        word = n.t === "ident" && !n.quoted ? n.v.toLowerCase() : "";
        if (!AFTER_NOT.has(word))
          this.fail(n, "`in`, `like`, `ilike`, `contains` or `icontains` after `not`");
      }
      if (word === "in") {
        node = { kind: "in", field, negated: negate, values: this.list() };
        negate = false;
      } else if (word === "like" || word === "ilike") {
        const p = this.next();
        if (p.t !== "string") this.fail(p, `a quoted pattern after \`${word}\``);
        node = { kind: "like", field, pattern: p.v, caseInsensitive: word === "ilike" };
      } else if (word === "contains" || word === "icontains") {
        const p = this.next();
        if (p.t !== "string") this.fail(p, `a quoted string after \`${word}\``);
        node = { kind: "contains", field, text: p.v, caseInsensitive: word === "icontains" };
      } else if (word === "exists") {
        node = { kind: "exists", field };
      } else {
        return this.fail(op, OPERATORS);
      }
    }
    const problem = leafProblem(node as Exclude<QueryNode, { kind: "and" | "or" | "not" }>, this.scope);
    if (problem) throw queryError({ position: f.pos }, problem, `\`${field}\``);
    return negate ? { kind: "not", item: node } : node;
  }
}

/**
 * Parses the string syntax: `metrics.acc > 0.9 and (params.model = "b" or params.lr <= 1e-3) and
 * tags.stage in ("dev", "prod") and not name like "%tmp%"`. Keywords are case-insensitive; an
 * empty string matches everything (`null`). Errors are `INVALID_ARGUMENT` naming the 0-based
 * position and what was expected; past the limits of `limits.ts` (nesting, conditions) they
 * name the limit.
 *
 * @example
 * parseStringQuery('params.model = "b" or metrics.acc >= 0.5');
 */
export function parseStringQuery(src: string, scope: QueryScope = "runs"): QueryNode | null {
  const toks = tokenize(src);
  if (toks.length === 1) return null;
  return checkConditionCount(new Parser(toks, scope).parse());
}
