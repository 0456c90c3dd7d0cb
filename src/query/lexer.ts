import { queryError } from "./check.js";

/** A token of the string syntax, with its 0-based position. */
export type Token =
  | { t: "ident"; v: string; pos: number; quoted: boolean }
  | { t: "string"; v: string; pos: number }
  | { t: "number"; v: number; pos: number }
  | { t: "op"; v: "=" | "!=" | "<" | "<=" | ">" | ">="; pos: number }
  | { t: "punct"; v: "(" | ")" | ","; pos: number }
  | { t: "end"; pos: number };

const IDENT = /[A-Za-z_][A-Za-z0-9_.\-/:@]*/y;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  "'": "'",
  "\\": "\\",
  "/": "/",
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
};

function readString(src: string, start: number): { v: string; end: number } {
  const quote = src[start]!;
  let out = "";
  let i = start + 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === quote) return { v: out, end: i + 1 };
    if (c === "\\") {
      const n = src[i + 1];
      if (n === undefined) break;
      if (n === "u") {
        const hex = src.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex))
          throw queryError({ position: i }, "four hex digits after \\u", JSON.stringify(hex));
        out += String.fromCharCode(Number.parseInt(hex, 16));
        i += 6;
        continue;
      }
      // Unknown escapes keep their backslash: `like` patterns escape `%` and `_` with it.
      out += ESCAPES[n] ?? `\\${n}`;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  throw queryError(
    { position: start },
    `a closing ${quote} for the string starting here`,
    "the end of the filter",
  );
}

/**
 * Splits a string filter into tokens: fields (plain or in backquotes), strings in double or
 * single quotes with JSON escapes, numbers (`1e-3`, `-0.5`), operators and punctuation.
 *
 * @example
 * tokenize('metrics.acc > 0.9').map((t) => t.t); // ["ident", "op", "number", "end"]
 */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const s = readString(src, i);
      out.push({ t: "string", v: s.v, pos: i });
      i = s.end;
      continue;
    }
    if (c === "`") {
      const end = src.indexOf("`", i + 1);
      if (end < 0)
        throw queryError({ position: i }, "a closing ` for the field name", "the end of the filter");
      out.push({ t: "ident", v: src.slice(i + 1, end), pos: i, quoted: true });
      i = end + 1;
      continue;
    }
    if (c === "(" || c === ")" || c === ",") {
      out.push({ t: "punct", v: c, pos: i });
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === "!=" || two === "<=" || two === ">=" || two === "<>" || two === "==") {
      out.push({ t: "op", v: two === "<>" ? "!=" : two === "==" ? "=" : two, pos: i });
      i += 2;
      continue;
    }
    if (c === "=" || c === "<" || c === ">") {
      out.push({ t: "op", v: c, pos: i });
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(src);
    if (num) {
      out.push({ t: "number", v: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    if (src.startsWith("-Infinity", i)) {
      out.push({ t: "number", v: Number.NEGATIVE_INFINITY, pos: i });
      i += 9;
      continue;
    }
    IDENT.lastIndex = i;
    const id = IDENT.exec(src);
    if (id) {
      out.push({ t: "ident", v: id[0], pos: i, quoted: false });
      i += id[0].length;
      continue;
    }
    throw queryError({ position: i }, "a field, a value, an operator or a parenthesis", JSON.stringify(c));
  }
  out.push({ t: "end", pos: src.length });
  return out;
}
