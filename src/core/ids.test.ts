import { describe, expect, it } from "vitest";
import { RUN_ID_RE, randomRunId } from "./ids.js";

describe("randomRunId", () => {
  it("gives 32 hex digits, unique, led by the creation time so that later ids sort after", () => {
    const before = Date.now();
    const ids = Array.from({ length: 20_000 }, () => randomRunId());
    const after = Date.now();
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 100)) {
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(RUN_ID_RE.test(id)).toBe(true);
      const ms = Number.parseInt(id.slice(0, 12), 16);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
    }
    const first = ids[0]!.slice(0, 12);
    const last = ids[ids.length - 1]!.slice(0, 12);
    expect(first <= last).toBe(true);
  });
});
