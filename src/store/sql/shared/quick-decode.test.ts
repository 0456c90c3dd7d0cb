import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeJson, encodeJson } from "../../../core/codec.js";
import { quickDecodeJson } from "./quick-decode.js";

const leaf = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0),
  fc.string(),
  fc.constantFrom("$x", '"$', "\\u0024", "__proto__"),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }),
  fc.int16Array({ maxLength: 3 }),
);
const key = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.constantFrom("$float", "$obj", "$typed", "data", "$", "a"),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("node"), { maxLength: 4 }),
  object: fc.dictionary(key, tie("node"), { maxKeys: 3 }),
})).node;

describe("quickDecodeJson", () => {
  it("decodes what decodeJson decodes, for any encoded value", () => {
    fc.assert(
      fc.property(value, (v) => {
        const text = encodeJson(v);
        expect(quickDecodeJson(text)).toStrictEqual(decodeJson(text));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps tags, escapes and odd keys on the exact path", () => {
    for (const text of [
      '{"$float":"NaN"}',
      '{"a":{"$obj":{"$x":1}}}',
      '{"\\u0024float":"Infinity"}',
      '{"__proto__":{"x":1}}',
      '{"$typed":"Uint8Array","data":"AQI="}',
      "null",
    ]) {
      expect(quickDecodeJson(text)).toStrictEqual(decodeJson(text));
    }
    expect(quickDecodeJson(null)).toBeNull();
    expect(quickDecodeJson(undefined)).toBeNull();
  });
});
