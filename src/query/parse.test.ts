import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LabbookError } from "../core/errors.js";
import { parseQuery } from "./parse.js";
import { printQuery, toJsonQuery } from "./print.js";
import { queryArb } from "./test-support/arbitraries.js";

function error(fn: () => unknown): LabbookError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LabbookError);
    expect((e as LabbookError).code).toBe("INVALID_ARGUMENT");
    return e as LabbookError;
  }
  throw new Error("expected an error");
}

describe("parseQuery: both syntaxes, one tree", () => {
  it("parses the issue's example and prints it back", () => {
    const q = parseQuery(
      'metrics.acc > 0.9 and (params.model = "b" or params.lr <= 1e-3) and tags.stage in ("dev", "prod") and not name like "%tmp%"',
    );
    expect(q).toEqual({
      kind: "and",
      items: [
        { kind: "compare", field: "metrics.acc", op: "gt", value: 0.9 },
        {
          kind: "or",
          items: [
            { kind: "compare", field: "params.model", op: "eq", value: "b" },
            { kind: "compare", field: "params.lr", op: "lte", value: 0.001 },
          ],
        },
        { kind: "in", field: "tags.stage", negated: false, values: ["dev", "prod"] },
        { kind: "not", item: { kind: "like", field: "name", pattern: "%tmp%", caseInsensitive: false } },
      ],
    });
    expect(printQuery(q)).toBe(
      'metrics.acc > 0.9 and (params.model = "b" or params.lr <= 0.001) and tags.stage in ("dev", "prod") and not name like "%tmp%"',
    );
  });

  it("gives the same tree for the JSON form", () => {
    const json = {
      "params.lr": { $lt: 0.01 },
      $or: [{ tags: { $in: ["baseline"] } }, { name: { $sqlLike: "llama%" } }],
    };
    const text = 'params.lr < 0.01 and (tags in ("baseline") or name like "llama%")';
    expect(parseQuery(json)).toEqual(parseQuery(text));
    expect(parseQuery(JSON.stringify(json))).toEqual(parseQuery(text));
    expect(parseQuery({ "params.model": "b", "metrics.acc": { $gte: 0.5, $lt: 1 } })).toEqual(
      parseQuery('params.model = "b" and metrics.acc >= 0.5 and metrics.acc < 1'),
    );
    expect(parseQuery({ "params.x": { $exists: false } })).toEqual(parseQuery("not params.x exists"));
    expect(parseQuery({ status: { $nin: ["failed"] } })).toEqual(parseQuery('status not in ("failed")'));
    expect(parseQuery({ "metrics.loss": { $float: "NaN" } })).toEqual(parseQuery("metrics.loss = NaN"));
    expect(parseQuery({ $not: { name: { $sqlIlike: "A%" } } })).toEqual(parseQuery('not name ilike "A%"'));
    expect(parseQuery({ name: { $not: { $sqlLike: "x" } } })).toEqual(parseQuery('name not like "x"'));
  });

  it("reads quoted field paths and names in any script: metrics.`my metric`, metrics.精度", () => {
    const field = (q: string) => (parseQuery(q) as { field: string }).field;
    expect(field("metrics.`my metric` > 1")).toBe("metrics.my metric");
    expect(field("metrics.精度 >= 0.5")).toBe("metrics.精度");
    expect(field("metrics.`精度` >= 0.5")).toBe("metrics.精度");
    expect(field("`params.my key` = 1")).toBe("params.my key");
    expect(field('tags.`the "x" tag` exists')).toBe('tags.the "x" tag');
    expect(field("metrics.`it\\`s` = 1")).toBe("metrics.it`s");
    expect(field("params.`a b`.c = 1")).toBe("params.a b.c");
    // the printer quotes what needs it, and parsing gives the same tree back
    for (const f of [
      "metrics.my metric",
      "metrics.精度",
      "params.a b.c",
      "metrics.it`s",
      "tags.a\\b",
      "metrics.and",
    ]) {
      const node = { kind: "exists" as const, field: f };
      expect(parseQuery(printQuery(node))).toEqual(node);
    }
    expect(printQuery(parseQuery("metrics.`my metric` > 1"))).toBe("metrics.`my metric` > 1");
    expect(() => parseQuery("metrics.`my metric > 1")).toThrow(
      /position 8: expected a closing ` for the field name/,
    );
  });

  it("reads JSON $like and $ilike as substring matches (the NVIDIA evaluator's meaning), string LIKE as SQL patterns", () => {
    const contains = { kind: "contains", field: "name", text: "beta", caseInsensitive: false };
    expect(parseQuery({ name: { $like: "beta" } })).toEqual(contains);
    expect(parseQuery('name contains "beta"')).toEqual(contains);
    expect(parseQuery({ name: { $ilike: "Beta" } })).toEqual(parseQuery('name icontains "Beta"'));
    expect(parseQuery('name not contains "x"')).toEqual(parseQuery({ name: { $not: { $like: "x" } } }));
    // MLflow's string syntax keeps SQL patterns
    expect(parseQuery('name LIKE "%llama%"')).toEqual({
      kind: "like",
      field: "name",
      pattern: "%llama%",
      caseInsensitive: false,
    });
    expect(() => parseQuery({ name: { $like: 3 } })).toThrow(
      /filter\.name\.\$like: expected a substring for \$like/,
    );
  });

  it("reads literals: negative and exponent numbers, NaN, infinities, booleans, null, escapes, backquoted fields", () => {
    expect(parseQuery("params.a = -0.5")).toMatchObject({ value: -0.5 });
    expect(parseQuery("params.a = 1E-3")).toMatchObject({ value: 0.001 });
    expect(parseQuery("params.a = .5")).toMatchObject({ value: 0.5 });
    expect(parseQuery("params.a = -0")).toMatchObject({ value: 0 });
    expect(Object.is((parseQuery("params.a = -0") as { value: number }).value, 0)).toBe(true);
    expect(parseQuery("params.a = -Infinity")).toMatchObject({ value: Number.NEGATIVE_INFINITY });
    expect(parseQuery("params.a = NaN")).toMatchObject({ value: Number.NaN });
    expect(parseQuery("params.a = TRUE OR params.a = null")).toMatchObject({ kind: "or" });
    expect(parseQuery(String.raw`name = "a\"b\\c\u00e9\n"`)).toMatchObject({ value: 'a"b\\cé\n' });
    expect(parseQuery(String.raw`name like '50\%'`)).toMatchObject({ pattern: "50\\%" });
    expect(parseQuery("`params.my key` = 1")).toMatchObject({ field: "params.my key" });
    expect(printQuery(parseQuery("`params.my key` = 1"))).toBe("params.`my key` = 1");
    expect(parseQuery("")).toBeNull();
    expect(parseQuery({})).toBeNull();
    expect(parseQuery(undefined)).toBeNull();
  });

  it("round-trips generated queries: string -> tree -> string -> tree, and JSON -> tree", () => {
    const fields = ["name", "params.a", "params.b.c", "metrics.acc", "tags.stage", "derived.x"].map(
      (field) => ({
        field,
        values: "any" as const,
      }),
    );
    fields.push({ field: "tags", values: "any" as const });
    fc.assert(
      fc.property(queryArb(fields.filter((f) => f.field !== "tags")), (ast) => {
        const text = printQuery(ast);
        const again = parseQuery(text);
        expect(again).toEqual(ast);
        expect(printQuery(again)).toBe(text);
        expect(parseQuery(toJsonQuery(ast))).toEqual(ast);
        expect(parseQuery(JSON.stringify(toJsonQuery(ast)))).toEqual(ast);
      }),
      { numRuns: 2000 },
    );
  });

  it("matches an injection attempt as a plain value", () => {
    expect(parseQuery(`name = "x' OR 1=1 --"`)).toEqual({
      kind: "compare",
      field: "name",
      op: "eq",
      value: "x' OR 1=1 --",
    });
    expect(parseQuery({ name: "x' OR 1=1 --" })).toEqual(parseQuery(`name = "x' OR 1=1 --"`));
  });
});

describe("bad queries name the position or path and what was expected", () => {
  it("an unknown operator", () => {
    const s = error(() => parseQuery("metrics.acc is 0.5"));
    expect(s.message).toMatch(/^filter at position 12: expected an operator \(=, !=, <.*received `is`/);
    expect(s.details).toMatchObject({ position: 12 });
    const j = error(() => parseQuery({ "metrics.acc": { $regex: "x" } }));
    expect(j.message).toMatch(/^filter\.metrics\.acc: expected an operator \(\$eq, .*received "\$regex"/);
    const top = error(() => parseQuery({ $nor: [] }));
    expect(top.message).toMatch(/expected a field or \$and, \$or, \$not; received the operator "\$nor"/);
  });

  it("an unclosed parenthesis (and string)", () => {
    const e = error(() => parseQuery('(metrics.acc > 0.5 or params.model = "b"'));
    expect(e.message).toMatch(
      /^filter at position 40: expected `\)` to close the parenthesis.*received the end of the filter/,
    );
    const s = error(() => parseQuery('name = "abc'));
    expect(s.message).toMatch(/^filter at position 7: expected a closing " for the string/);
  });

  it("`in` without a list", () => {
    const e = error(() => parseQuery('tags.stage in "dev"'));
    expect(e.message).toMatch(/^filter at position 14: expected a parenthesised list of values after `in`/);
    const j = error(() => parseQuery({ "tags.stage": { $in: "dev" } }));
    expect(j.message).toMatch(
      /^filter\.tags\.stage\.\$in: expected a list of values for \$in; received "dev"/,
    );
  });

  it("a field compared with an object", () => {
    const e = error(() => parseQuery({ "params.opt": { lr: 0.1 } }));
    expect(e.message).toMatch(
      /^filter\.params\.opt: expected .*a field cannot be compared with an object; received an object with key "lr"/,
    );
    const v = error(() => parseQuery({ "params.opt": { $eq: { lr: 0.1 } } }));
    expect(v.message).toMatch(
      /^filter\.params\.opt\.\$eq: expected a number, string, boolean or null; received an object/,
    );
  });

  it("an empty $and", () => {
    const e = error(() => parseQuery({ $and: [] }));
    expect(e.message).toBe(
      "filter.$and: expected a non-empty list of queries for $and; received an array of 0",
    );
    const nested = error(() => parseQuery({ $or: [{ name: "a" }, { $and: [] }] }));
    expect(nested.message).toMatch(/^filter\.\$or\[1\]\.\$and: expected a non-empty list/);
  });

  it("unknown fields, null ranges, tags with numbers, bad time strings", () => {
    expect(error(() => parseQuery("metric.acc > 1")).message).toMatch(
      /^filter at position 0: expected a field \(run_id, name/,
    );
    expect(error(() => parseQuery("metrics.acc > null")).message).toMatch(/null has no order/);
    expect(error(() => parseQuery("tags = 1")).message).toMatch(/a tag key \(a string\)/);
    expect(error(() => parseQuery('created_at > "yesterday"')).message).toMatch(/an ISO date string/);
    expect(error(() => parseQuery("scores.x = 1")).message).toMatch(/expected a field \(run_id/);
    expect(parseQuery("scores.x = 1", "rows")).toMatchObject({ field: "scores.x" });
    expect(error(() => parseQuery("name = 1 name = 2")).message).toMatch(
      /position 9: expected `and`, `or` or the end/,
    );
    expect(error(() => parseQuery("name = ")).message).toMatch(/position 7: expected a value/);
    expect(error(() => parseQuery("{not json")).message).toMatch(/expected valid JSON/);
    expect(error(() => parseQuery(["a"] as never)).message).toMatch(/expected an object of fields/);
    const tree = parseQuery("metrics.acc > 0.5");
    expect(parseQuery(tree)).toBe(tree);
    expect(
      error(() => parseQuery({ kind: "compare", field: "nope", op: "eq", value: 1 } as never)).message,
    ).toMatch(/^filter: expected a field \(run_id/);
  });
});
