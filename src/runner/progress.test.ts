import { describe, expect, it } from "vitest";
import { formatEta, SweepTracker } from "./progress.js";

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, chunks };
}

describe("sweep progress", () => {
  it("draws a bar in place on a TTY, with done/failed/remaining and an ETA", () => {
    const { stream, chunks } = fakeStream(true);
    const t = new SweepTracker("grid:1.0.0", true, stream);
    t.total = 10;
    t.toRun = 8;
    t.skipped = 2;
    t.done = 3;
    t.failed = 1;
    t.update(true);
    const text = chunks.join("");
    expect(text.startsWith("\r\u001b[2K[")).toBe(true);
    expect(text).toMatch(
      /\[█+·+\] grid:1\.0\.0 6\/10 done: 3 succeeded, 1 failed, 2 skipped \(stored before\); 4 remaining, ETA \d+:\d\d\n$/,
    );
  });

  it("prints plain lines when not a TTY, and nothing when off", () => {
    const plain = fakeStream(false);
    const t = new SweepTracker("x:0.1.0", true, plain.stream);
    t.total = 2;
    t.toRun = 2;
    t.update();
    t.done = 2;
    t.update(true);
    expect(plain.chunks).toEqual([
      "x:0.1.0 0/2 done: 0 succeeded, 0 failed; 2 remaining, ETA ?\n",
      expect.stringMatching(/^x:0\.1\.0 2\/2 done: 2 succeeded, 0 failed; 0 remaining, ETA 0:00\n$/),
    ]);
    const off = fakeStream(false);
    const quiet = new SweepTracker("x", undefined, off.stream);
    quiet.update(true);
    expect(off.chunks).toEqual([]);
  });

  it("formats an ETA", () => {
    expect(formatEta(null)).toBe("?");
    expect(formatEta(65_000)).toBe("1:05");
    expect(formatEta(3_723_000)).toBe("1:02:03");
  });
});
