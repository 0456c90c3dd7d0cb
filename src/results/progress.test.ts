import { describe, expect, it } from "vitest";
import { decodeArtifact } from "./decode-artifact.js";
import { progressBar } from "./progress.js";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe("progressBar", () => {
  it("draws in place on a TTY and ends the line", () => {
    const { stream, writes } = fakeStream(true);
    const bar = progressBar("derived", 4, true, stream);
    bar.tick();
    bar.tick();
    bar.done();
    expect(writes[0]).toMatch(/^\rderived \[·{30}\] 0\/4$/);
    expect(writes[2]).toMatch(/^\rderived \[█{15}·{15}\] 2\/4$/);
    expect(writes.at(-1)).toBe("\n");
  });

  it("writes nothing when not asked or not on a TTY", () => {
    for (const [enabled, tty] of [
      [false, true],
      [true, false],
    ] as const) {
      const { stream, writes } = fakeStream(tty);
      const bar = progressBar("x", 3, enabled, stream);
      bar.tick();
      bar.done();
      expect(writes).toEqual([]);
    }
  });
});

describe("decodeArtifact", () => {
  const d = (kind: string, mediaType: string) => ({
    name: "a",
    kind,
    mediaType,
    size: 0,
    digest: "",
    createdAt: "",
  });
  const bytes = new Uint8Array(Buffer.from('{"a":{"$float":"NaN"}}'));
  it("parses json, reads text kinds and text media types as text, leaves the rest as bytes", () => {
    expect((decodeArtifact(d("json", "application/json"), bytes) as { a: number }).a).toBeNaN();
    expect(decodeArtifact(d("log", "application/octet-stream"), bytes)).toBe('{"a":{"$float":"NaN"}}');
    expect(decodeArtifact(d("file", "text/csv"), bytes)).toBe('{"a":{"$float":"NaN"}}');
    expect(decodeArtifact(d("file", "application/json"), bytes)).toBe(bytes);
  });
});
