/** fast-check arbitraries of queries and sorts, for the generated tests of the parsers and stores. */
import fc from "fast-check";
import { type CompareOp, junction, type QueryNode, type QueryValue } from "../ast.js";

/** Literal values that stress the semantics: NaN, infinities, 0/1 vs booleans, quotes, wildcards. */
export const VALUES: QueryValue[] = [
  0,
  1,
  -1,
  0.5,
  2,
  1e-3,
  -0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  true,
  false,
  null,
  "x",
  "X",
  "x%",
  "a_b",
  "",
  "é",
  "x' OR 1=1 --",
  "100%",
  "dev",
  "prod",
  "b",
  "a\\b",
  'q"t',
  "a-b",
  "[x]",
];
const STRINGS = VALUES.filter((v): v is string => typeof v === "string");
const NUMBERS = VALUES.filter((v): v is number => typeof v === "number");
export const PATTERNS = [
  "x%",
  "%",
  "_",
  "X%",
  "\\%%",
  "%\\_%",
  "a\\_b",
  "é",
  "%1=1%",
  "%b",
  "_%",
  "",
  "d_v",
  "%\\\\%",
  "%x",
  "a-%",
  "[%",
  "%]",
  "*",
  "?",
];
/** Substrings for `contains` (JSON `$like`): wildcards and escapes are literal characters here. */
export const SUBSTRINGS = [
  "x",
  "X",
  "%",
  "_",
  "\\",
  "a_b",
  "",
  "é",
  "1=1",
  "b",
  "-",
  "[",
  "'",
  '"',
  "ro",
  "R",
  "dev",
];

/** A field and the kind of literal it may be compared with (or the literals themselves). */
export interface FieldSpec {
  field: string;
  values: "any" | "strings" | "numbers" | readonly QueryValue[];
}

export function queryArb(fields: readonly FieldSpec[]): fc.Arbitrary<QueryNode> {
  const fieldArb = fc.constantFrom(...fields);
  const valueFor = (f: FieldSpec, ordered: boolean) => {
    const pool =
      typeof f.values !== "string"
        ? f.values
        : f.values === "strings"
          ? STRINGS
          : f.values === "numbers"
            ? NUMBERS
            : VALUES;
    return fc.constantFrom(...pool.filter((v) => !(ordered && v === null)));
  };
  const compare = fieldArb.chain((f) =>
    fc
      .constantFrom<CompareOp>(
        ...(f.field === "tags" ? (["eq", "ne"] as const) : (["eq", "ne", "lt", "lte", "gt", "gte"] as const)),
      )
      .chain((op) =>
        valueFor(f, op !== "eq" && op !== "ne").map(
          (value): QueryNode => ({ kind: "compare", field: f.field, op, value }),
        ),
      ),
  );
  const inNode = fieldArb.chain((f) =>
    fc
      .record({ negated: fc.boolean(), values: fc.array(valueFor(f, false), { minLength: 1, maxLength: 3 }) })
      .map((r): QueryNode => ({ kind: "in", field: f.field, ...r })),
  );
  const like = fc
    .record({ f: fieldArb, pattern: fc.constantFrom(...PATTERNS), ci: fc.boolean() })
    .map((r): QueryNode => ({ kind: "like", field: r.f.field, pattern: r.pattern, caseInsensitive: r.ci }));
  const contains = fc
    .record({ f: fieldArb, text: fc.constantFrom(...SUBSTRINGS), ci: fc.boolean() })
    .map((r): QueryNode => ({ kind: "contains", field: r.f.field, text: r.text, caseInsensitive: r.ci }));
  const exists = fieldArb.map((f): QueryNode => ({ kind: "exists", field: f.field }));
  const leaf = fc.oneof(
    { arbitrary: compare, weight: 4 },
    { arbitrary: inNode, weight: 2 },
    like,
    contains,
    exists,
  );
  const { node } = fc.letrec<{ node: QueryNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      { arbitrary: leaf, weight: 4 },
      fc.array(tie("node"), { minLength: 2, maxLength: 3 }).map((items) => junction("and", items)),
      fc.array(tie("node"), { minLength: 2, maxLength: 3 }).map((items) => junction("or", items)),
      tie("node").map((item): QueryNode => ({ kind: "not", item })),
    ),
  }));
  return node;
}

/** A sort of 0 to 2 keys over the given fields (`undefined`: the default order). */
export function sortArb(fields: readonly string[]): fc.Arbitrary<string | undefined> {
  return fc.option(
    fc
      .array(fc.record({ f: fc.constantFrom(...fields), desc: fc.boolean() }), { minLength: 1, maxLength: 2 })
      .map((ks) => ks.map((k) => `${k.desc ? "-" : ""}${k.f}`).join(",")),
    { nil: undefined },
  );
}
