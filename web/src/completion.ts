/** What the filter bar completes from: field paths and, per field, some of its values. */
export interface CompletionField {
  field: string;
  values?: readonly (number | string | boolean | null)[];
  detail?: string;
}

export interface Completion {
  /** Shown in the list. */
  label: string;
  /** Replaces the text from `from` to `to`. */
  insert: string;
  detail?: string;
}

export interface Completions {
  from: number;
  to: number;
  items: Completion[];
}

const OPERATORS = ["=", "!=", "<", "<=", ">", ">=", "in", "not in", "like", "ilike", "exists"];
const KEYWORDS = new Set(["and", "or", "not", "in", "like", "ilike", "exists"]);
const WORD = /[A-Za-z0-9_.\-/:@`]/;

/** A field path as the string syntax spells it (backquoted when it holds other characters). */
export function fieldText(field: string): string {
  const dot = field.indexOf(".");
  if (/^[A-Za-z_][A-Za-z0-9_.\-/:@]*$/.test(field)) return field;
  if (dot > 0) return `${field.slice(0, dot)}.\`${field.slice(dot + 1).replaceAll("`", "")}\``;
  return `\`${field}\``;
}

/** A value as the string syntax spells it. */
export function valueText(v: number | string | boolean | null): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

/** The tokens before `end`, roughly: words, strings, operators and punctuation. */
function tokensBefore(text: string, end: number): string[] {
  const out: string[] = [];
  const re =
    /\s*("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`[^`]*`?[A-Za-z0-9_.\-/:@`]*|[A-Za-z0-9_.\-/:@]+(?:`[^`]*`?)?|!=|<=|>=|[=<>(),])/y;
  let m: RegExpExecArray | null = re.exec(text);
  while (m !== null && re.lastIndex <= end) {
    out.push(m[1]!);
    if (re.lastIndex === end) break;
    m = re.exec(text);
  }
  return out;
}

/**
 * What may be typed at `cursor` in a filter of the string syntax: after a field and an
 * operator, that field's values; after a field, the operators; elsewhere, field paths (and
 * `and`/`or`/`not`) starting with the word under the cursor.
 *
 * @example
 * complete("params.m", 8, [{ field: "params.model", values: ["a"] }]).items[0]?.insert; // "params.model"
 */
export function complete(text: string, cursor: number, fields: readonly CompletionField[]): Completions {
  let from = cursor;
  while (from > 0 && WORD.test(text[from - 1]!)) from--;
  // inside a string being typed: complete the value from its opening quote
  const quote = /(["'])(?:[^"'\\]|\\.)*$/.exec(text.slice(0, cursor));
  if (quote && (text.slice(0, quote.index).split(quote[1]!).length - 1) % 2 === 0) from = quote.index;
  let to = cursor;
  while (to < text.length && WORD.test(text[to]!)) to++;
  const word = text.slice(from, cursor);
  const before = tokensBefore(text, from);
  const prev = before[before.length - 1];
  const prev2 = before[before.length - 2];
  const fieldNamed = (t: string | undefined) =>
    t === undefined ? undefined : fields.find((f) => fieldText(f.field) === t || f.field === t);
  // values: `field op |`, `field in (|`, `field in (a, |`
  let valueField: CompletionField | undefined;
  if (prev && /^(=|!=|<|<=|>|>=|like|ilike)$/i.test(prev)) valueField = fieldNamed(prev2);
  if (prev === "(" || prev === ",") {
    const open = before.lastIndexOf("(");
    if (open >= 2 && /^in$/i.test(before[open - 1]!)) {
      const f = /^not$/i.test(before[open - 2]!) ? before[open - 3] : before[open - 2];
      valueField = fieldNamed(f);
    }
  }
  if (valueField) {
    const needle = word.replace(/^["']/, "").toLowerCase();
    const items = (valueField.values ?? [])
      .map((v) => ({ label: valueText(v), insert: valueText(v), detail: valueField.field }))
      .filter((c) => c.label.replace(/^"/, "").toLowerCase().startsWith(needle))
      .slice(0, 50);
    return { from, to, items };
  }
  // operators right after a field
  if (prev && fieldNamed(prev) && !KEYWORDS.has(prev.toLowerCase())) {
    const items = OPERATORS.filter((o) => o.startsWith(word.toLowerCase())).map((o) => ({
      label: o,
      insert: o,
    }));
    return { from, to, items };
  }
  const needle = word.toLowerCase();
  const items: Completion[] = [];
  if (prev !== undefined && !/^(and|or|not|\()$/i.test(prev)) {
    for (const k of ["and", "or"]) if (k.startsWith(needle)) items.push({ label: k, insert: k });
  } else {
    for (const f of fields) {
      const t = fieldText(f.field);
      if (t.toLowerCase().startsWith(needle) || f.field.toLowerCase().includes(needle)) {
        items.push({ label: t, insert: t, ...(f.detail ? { detail: f.detail } : {}) });
      }
    }
    if ("not".startsWith(needle) && needle !== "") items.push({ label: "not", insert: "not" });
  }
  return { from, to, items: items.slice(0, 50) };
}
