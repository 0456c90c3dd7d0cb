import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byCodePoint, CATALOG_VALUES, SummaryDelta, textLeaf } from "./field-summary.js";

const utf8Order = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
/** Strings mixing ASCII, U+E000-U+FFFF and astral characters (surrogate pairs), where UTF-16 order differs. */
const text = fc
  .array(fc.constantFrom("a", "b", "é", "\uE000", "\uFFFD", "精", "😀", "𝄞"), { maxLength: 5 })
  .map((cs) => cs.join(""));

describe("field summary values", () => {
  it("byCodePoint orders as UTF-8 bytes do (code points), not as UTF-16 units", () => {
    expect(byCodePoint("\uFFFD", "😀")).toBe(-1); // U+FFFD < U+1F600, though its UTF-16 unit is larger
    fc.assert(fc.property(text, text, (a, b) => byCodePoint(a, b) === utf8Order(a, b)));
  });

  it("keeps a field's smallest values whatever order they come in", () => {
    fc.assert(
      fc.property(fc.uniqueArray(text, { minLength: 0, maxLength: 600 }), (values) => {
        const delta = new SummaryDelta();
        for (const v of values) delta.add(textLeaf("name", v), 1);
        const kept = delta
          .valueRows()
          .map((r) => r.leaf.text as string)
          .sort(utf8Order);
        const want = [...values].sort(utf8Order).slice(0, CATALOG_VALUES + 1);
        expect(kept).toEqual(want);
      }),
      { numRuns: 40 },
    );
  });
});
