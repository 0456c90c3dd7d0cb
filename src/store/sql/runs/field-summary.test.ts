import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  byCodePoint,
  CATALOG_VALUES,
  type FieldLeaf,
  SummaryDelta,
  sortKey,
  textLeaf,
} from "./field-summary.js";

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

  it("keeps a field's smallest values when numbers, NaN and other types are mixed (the cut decided on numbers)", () => {
    const leaf = fc.oneof(
      fc.double({ noNaN: true }).map((n): FieldLeaf => ({ field: "m", type: "number", num: n, text: null })),
      fc
        .integer({ min: -5, max: 5 })
        .map((n): FieldLeaf => ({ field: "m", type: "number", num: n, text: null })),
      fc.constant<FieldLeaf>({ field: "m", type: "number", num: null, text: "NaN" }),
      text.map((t): FieldLeaf => ({ field: "m", type: "string", num: null, text: t })),
      fc.boolean().map((b): FieldLeaf => ({ field: "m", type: "boolean", num: b ? 1 : 0, text: null })),
    );
    // Past ~400 values the list is cut; the leaves after that are judged against the cut.
    const many = fc.array(
      fc.double({ noNaN: true }).map((n): FieldLeaf => ({ field: "m", type: "number", num: n, text: null })),
      { minLength: 450, maxLength: 600 },
    );
    fc.assert(
      fc.property(many, fc.array(leaf, { maxLength: 300 }), (head, tail) => {
        const leaves = [...head, ...tail];
        const delta = new SummaryDelta();
        for (const l of leaves) delta.add(l, 1);
        const kept = delta.valueRows().map((r) => r.key);
        const want = [...new Set(leaves.map(sortKey))].sort(byCodePoint).slice(0, CATALOG_VALUES + 1);
        expect([...kept].sort(byCodePoint)).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });

  it("counts a run once per field and type however many leaves it has of it", () => {
    const delta = new SummaryDelta();
    const run = [textLeaf("tags", "a"), textLeaf("tags", "b"), textLeaf("name", "x")];
    delta.addRun(run, 1);
    delta.addRun(run, 1);
    delta.addRun([textLeaf("tags", "c")], -1);
    delta.add(textLeaf("tags", "d"), 1);
    const runs = Object.fromEntries([...delta.figures.values()].map((f) => [f.field, f.runs]));
    expect(runs).toEqual({ tags: 2, name: 2 });
  });
});
