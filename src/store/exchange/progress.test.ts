import { describe, expect, it } from "vitest";
import { countProgress } from "./progress.js";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe("countProgress", () => {
  it("draws on a TTY at most ten times a second, and the final count when done", () => {
    const { stream, writes } = fakeStream(true);
    const bar = countProgress("export runs", 1000, true, stream);
    for (let i = 0; i < 1000; i++) bar.tick();
    bar.done();
    expect(writes[0]).toBe(`\rexport runs [${"·".repeat(30)}] 0/1000`);
    expect(writes.length).toBeLessThan(10);
    expect(writes.at(-2)).toBe(`\rexport runs [${"█".repeat(30)}] 1000/1000`);
    expect(writes.at(-1)).toBe("\n");
  });

  it("shows a count without a total, and nothing off a TTY or when not asked", () => {
    const tty = fakeStream(true);
    const bar = countProgress("import", null, true, tty.stream);
    bar.tick(12_345);
    bar.done();
    expect(tty.writes.at(-2)).toBe("\rimport 12,345");
    for (const [enabled, isTTY] of [
      [true, false],
      [false, true],
    ] as const) {
      const s = fakeStream(isTTY);
      const b = countProgress("x", 3, enabled, s.stream);
      b.tick();
      b.done();
      expect(s.writes).toEqual([]);
    }
  });
});
