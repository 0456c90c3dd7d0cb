import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeJson } from "../core/codec.js";
import { taggedStringify } from "./tagged-stringify.js";

const leaf = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
  fc.float32Array({ maxLength: 4 }),
  fc.int32Array({ maxLength: 4 }),
);
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("$float", "$obj", "$typed", "$x", "data"));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("node"), { maxLength: 4 }),
  object: fc.dictionary(key, tie("node"), { maxKeys: 4 }),
})).node;

describe("taggedStringify", () => {
  it("writes exactly what encodeJson writes, for any value", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(taggedStringify(v)).toBe(encodeJson(v));
      }),
      { numRuns: 500 },
    );
  });

  it("escapes objects that look tagged and tags non-finite numbers", () => {
    const v = { a: { $float: "NaN" }, b: Number.NaN, c: [Number.NEGATIVE_INFINITY], d: { $obj: { $x: 1 } } };
    expect(taggedStringify(v)).toBe(encodeJson(v));
    expect(JSON.parse(taggedStringify(v))).toEqual({
      a: { $obj: { $float: "NaN" } },
      b: { $float: "NaN" },
      c: [{ $float: "-Infinity" }],
      d: { $obj: { $obj: { $obj: { $x: 1 } } } },
    });
    expect(taggedStringify(undefined)).toBe("null");
  });
});
