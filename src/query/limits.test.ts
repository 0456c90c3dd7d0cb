import { describe, expect, it } from "vitest";
import type { QueryNode } from "./ast.js";
import { MAX_QUERY_CONDITIONS, MAX_QUERY_DEPTH } from "./limits.js";
import { parseQuery } from "./parse.js";

const terms = (n: number) => Array.from({ length: n }, (_, i) => `metrics.m${i} > 0`).join(" and ");
const nots = (n: number) => `${"not ".repeat(n)}metrics.acc > 0`;
function jsonNots(n: number): Record<string, unknown> {
  let q: Record<string, unknown> = { "metrics.acc": 1 };
  for (let i = 0; i < n; i++) q = { $not: q };
  return q;
}
function nodeNots(n: number): QueryNode {
  let q: QueryNode = { kind: "exists", field: "metrics.acc" };
  for (let i = 0; i < n; i++) q = { kind: "not", item: q };
  return q;
}

describe("query limits", () => {
  it("take exactly the limits, in every input form", () => {
    expect(() => parseQuery(terms(MAX_QUERY_CONDITIONS))).not.toThrow();
    expect(() => parseQuery(nots(MAX_QUERY_DEPTH))).not.toThrow();
    expect(() =>
      parseQuery(
        `${"(".repeat(MAX_QUERY_DEPTH)}a.b = 1${")".repeat(MAX_QUERY_DEPTH)}`.replace("a.b", "metrics.a"),
      ),
    ).not.toThrow();
    expect(() => parseQuery(jsonNots(MAX_QUERY_DEPTH))).not.toThrow();
    expect(() => parseQuery(nodeNots(MAX_QUERY_DEPTH))).not.toThrow();
  });

  it("refuse one more, naming the limit and what was received", () => {
    expect(() => parseQuery(terms(MAX_QUERY_CONDITIONS + 1))).toThrow(
      "filter: expected at most 500 conditions: the limit (a list of values in one `in (...)` or $in is one condition); received 501 conditions",
    );
    expect(() => parseQuery(nots(MAX_QUERY_DEPTH + 1))).toThrow(
      /^filter at position 256: expected at most 64 levels of nesting .*: the limit; received level 65$/,
    );
    expect(() => parseQuery(jsonNots(MAX_QUERY_DEPTH + 1))).toThrow(
      /^filter(\.\$not){65}: expected at most 64 levels/,
    );
    expect(() => parseQuery(nodeNots(MAX_QUERY_DEPTH + 1))).toThrow(
      /^filter(\.item){65}: expected at most 64 levels/,
    );
    const wide = { kind: "and", items: Array.from({ length: 600 }, () => nodeNots(1)) } as QueryNode;
    expect(() => parseQuery(wide)).toThrow(/received 600 conditions/);
  });

  it("refuse 100,000 nested `not` or parentheses without running out of stack", () => {
    expect(() => parseQuery(nots(100_000))).toThrow(/64 levels/);
    expect(() => parseQuery(`${"(".repeat(100_000)}metrics.a = 1`)).toThrow(/64 levels/);
  });

  it("count a list of any length as one condition", () => {
    const list = Array.from({ length: 100_000 }, (_, i) => i);
    expect(parseQuery(`params.id in (${list.join(",")})`)).toMatchObject({ kind: "in" });
    expect(parseQuery({ "params.id": { $in: list } })).toMatchObject({ kind: "in" });
  });
});
