import { LabbookError } from "../core/errors.js";

/** A token of a composite expression; `pos` is 1-based. */
export type Token =
  | { type: "number"; value: number; text: string; pos: number }
  | { type: "name"; text: string; pos: number }
  | { type: "string"; value: string; text: string; pos: number }
  | { type: "punct"; text: "+" | "-" | "*" | "/" | "(" | ")" | "," | "[" | "]"; pos: number }
  | { type: "end"; text: ""; pos: number };

/** A syntax error at a 1-based position of the expression. */
export function syntaxError(
  expression: string,
  pos: number,
  expected: string,
  received: string,
): LabbookError {
  const shown = received === "" ? "the end" : JSON.stringify(received);
  return new LabbookError(
    "INVALID_ARGUMENT",
    `expression: expected ${expected} at position ${pos}, found ${shown} in ${JSON.stringify(expression)}`,
    { field: "expression", details: { position: pos, expected, received } },
  );
}

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_:.]*/;
const STRING = /^"(?:[^"\\]|\\.)*"/;

/**
 * Splits an expression into tokens: numbers (`2`, `0.5`, `.5`, `1e-3`), names (letters,
 * digits, `_`, `:` and `.`, as `scores.judge:fluency`), JSON strings (for
 * `scores["any name"]`), and `+ - * / ( ) , [ ]`. Whitespace separates.
 *
 * @example
 * tokenize("0.7 * scores.a").map((t) => t.text); // ["0.7", "*", "scores.a", ""]
 */
export function tokenize(expression: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i]!;
    const pos = i + 1;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = expression.slice(i);
    const num = NUMBER.exec(rest);
    if (num) {
      out.push({ type: "number", value: Number(num[0]), text: num[0], pos });
      i += num[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      out.push({ type: "name", text: name[0], pos });
      i += name[0].length;
      continue;
    }
    if (ch === '"') {
      const str = STRING.exec(rest);
      if (!str) throw syntaxError(expression, pos, "a closed JSON string", rest);
      let value: string;
      try {
        value = JSON.parse(str[0]) as string;
      } catch {
        throw syntaxError(expression, pos, "a valid JSON string", str[0]);
      }
      out.push({ type: "string", value, text: str[0], pos });
      i += str[0].length;
      continue;
    }
    if ("+-*/(),[]".includes(ch)) {
      out.push({ type: "punct", text: ch as "+", pos });
      i++;
      continue;
    }
    throw syntaxError(expression, pos, "a number, a name, an operator or a parenthesis", ch);
  }
  out.push({ type: "end", text: "", pos: expression.length + 1 });
  return out;
}
