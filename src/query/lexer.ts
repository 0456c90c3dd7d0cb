import { queryError } from "./check.js";

/** A token of the string syntax, with its 0-based position. */
export type Token =
  | { t: "ident"; v: string; pos: number; quoted: boolean }
  | { t: "string"; v: string; pos: number }
  | { t: "number"; v: number; pos: number }
  | { t: "op"; v: "=" | "!=" | "<" | "<=" | ">" | ">="; pos: number }
  | { t: "punct"; v: "(" | ")" | ","; pos: number }
  | { t: "end"; pos: number };

/** A plain field name: a letter (any script) or `_`, then letters, digits and `_ . - / : @`. */
const IDENT = /[\p{L}_][\p{L}\p{N}_.\-/:@]*/uy;
/** More plain characters of a field after a quoted part (`` `my metric`.x ``). */
const IDENT_MORE = /[\p{L}\p{N}_.\-/:@]*/uy;
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

/** A backquoted part of a field, from the backquote at `start`: `\`` and `\\` escape. */
function readQuoted(src: string, start: number): { v: string; end: number } {
  let out = "";
  for (let i = start + 1; i < src.length; i++) {
    const c = src[i]!;
    if (c === "`") return { v: out, end: i + 1 };
    if (c === "\\" && (src[i + 1] === "`" || src[i + 1] === "\\")) {
      out += src[++i]!;
      continue;
    }
    out += c;
  }
  throw queryError({ position: start }, "a closing ` for the field name", "the end of the filter");
}

/**
 * A field: plain parts and backquoted parts written together (`metrics.acc`,
 * `` metrics.`my metric` ``, `` `params.my key` ``, `metrics.精度`); `undefined` when none starts here.
 */
function readField(src: string, start: number): { v: string; end: number; quoted: boolean } | undefined {
  let v = "";
  let i = start;
  let quoted = false;
  for (;;) {
    if (src[i] === "`") {
      const q = readQuoted(src, i);
      v += q.v;
      i = q.end;
      quoted = true;
      continue;
    }
    const re = i === start ? IDENT : IDENT_MORE;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m || m[0].length === 0) break;
    v += m[0];
    i += m[0].length;
  }
  return i === start ? undefined : { v, end: i, quoted };
}

/**
 * Splits a string filter into tokens: fields (plain, backquoted, or with backquoted parts such
 * as `` metrics.`my metric` ``; letters of any script are plain), strings in double or
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
    const id = readField(src, i);
    if (id) {
      out.push({ t: "ident", v: id.v, pos: i, quoted: id.quoted });
      i = id.end;
      continue;
    }
    throw queryError({ position: i }, "a field, a value, an operator or a parenthesis", JSON.stringify(c));
  }
  out.push({ t: "end", pos: src.length });
  return out;
}
