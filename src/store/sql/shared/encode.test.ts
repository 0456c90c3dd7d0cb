import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeJson, encodeJson } from "../../../core/codec.js";
import { appendParamLeaves, flattenParams } from "./encode.js";

const leafValue = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(new Date(0)),
  fc.array(fc.oneof(fc.integer(), fc.string(), fc.double())),
);
const params = fc.letrec((tie) => ({
  node: fc.dictionary(
    fc.oneof(fc.string(), fc.constantFrom("$float", "__proto__", "a.b", "")),
    tie("value"),
    {
      maxKeys: 4,
    },
  ),
  value: fc.oneof({ depthSize: "small" }, leafValue, tie("node")),
})).node;

describe("appendParamLeaves", () => {
  it("gives the leaves of flattenParams of the decoded params, for any params as stored", () => {
    fc.assert(
      fc.property(params, (p) => {
        const text = encodeJson(p);
        const rows: unknown[][] = [];
        appendParamLeaves(text, 9, rows);
        const expected = flattenParams(decodeJson(text)).map((l) => [9, l.path, l.type, l.num, l.text]);
        expect(rows).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
