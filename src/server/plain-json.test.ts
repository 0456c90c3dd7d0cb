import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeJson } from "../core/codec.js";
import { isPlainJson } from "./plain-json.js";
import { replacerStringify, taggedStringify } from "./tagged-stringify.js";

const leaf = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
  fc.float64Array({ maxLength: 3 }),
  fc.uint8Array({ maxLength: 3 }),
);
const key = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.constantFrom("$float", "$obj", "$", "$date", "$typed", "data", "a", "0"),
);
const tree = (leaves: fc.Arbitrary<unknown>) =>
  fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: "small" }, leaves, tie("array"), tie("object")),
    array: fc.array(tie("node"), { maxLength: 4 }),
    object: fc.dictionary(key, tie("node"), { maxKeys: 3 }),
  })).node;

describe("taggedStringify fast path", () => {
  it("writes the replacer's bytes for any value, tricky or plain", () => {
    fc.assert(
      fc.property(tree(leaf), (v) => {
        expect(taggedStringify(v)).toBe(replacerStringify(v));
        if (v !== undefined) expect(taggedStringify(v)).toBe(encodeJson(v));
      }),
      { numRuns: 1000 },
    );
    const typedLike = { $typed: "Float32Array", data: "AAAA" };
    expect(taggedStringify({ x: typedLike })).toBe(encodeJson({ x: typedLike }));
    const plainLeaf = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(tree(plainLeaf), (v) => {
        expect(taggedStringify(v)).toBe(replacerStringify(v));
      }),
      { numRuns: 300 },
    );
  });

  it("sends values that need a tag to the replacer", () => {
    const cases: unknown[] = [
      Number.NaN,
      [1, Number.POSITIVE_INFINITY],
      { a: { b: Number.NEGATIVE_INFINITY } },
      { a: new Float32Array([1, 2]) },
      [new Date(0)],
      { x: { $y: 1 } },
      { x: { $y: 1, z: undefined } },
      { x: [{ $obj: { $z: 2 } }] },
      { toJSON: () => 1 },
      new Map(),
    ];
    for (const v of cases) {
      expect(isPlainJson(v)).toBe(false);
      expect(taggedStringify(v)).toBe(replacerStringify(v));
    }
  });

  it("takes the plain path for plain values, keeping -0, undefined members and holes as JSON does", () => {
    const v = { a: -0, b: undefined, c: [1, undefined, null], d: { $x: 1, y: 2 }, e: {}, "": "s" };
    expect(isPlainJson(v)).toBe(true);
    expect(taggedStringify(v)).toBe('{"a":0,"c":[1,null,null],"d":{"$x":1,"y":2},"e":{},"":"s"}');
    expect(taggedStringify(v)).toBe(replacerStringify(v));
    expect(taggedStringify(undefined)).toBe("null");
    expect(taggedStringify([undefined])).toBe("[null]");
  });

  it("leaves cycles and functions to the replacer's errors", () => {
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(isPlainJson(cyc)).toBe(false);
    expect(() => taggedStringify(cyc)).toThrow(TypeError);
    expect(() => taggedStringify({ f: () => 1 })).toThrow(/cannot encode/);
  });
});
