import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoMillis } from "./iso-millis.js";

describe("isoMillis", () => {
  it("reads every time toISOString writes as Date.parse does", () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(isoMillis(iso)).toBe(Date.parse(iso));
      }),
      { numRuns: 2000 },
    );
  });

  it("hands other spellings to Date.parse", () => {
    for (const s of [
      "2026-01-02T03:04:05Z",
      "2026-01-02T03:04:05.678+01:00",
      "2026-13-02T03:04:05.678Z",
      "x".repeat(24),
    ]) {
      expect(Object.is(isoMillis(s), Date.parse(s))).toBe(true);
    }
  });
});
