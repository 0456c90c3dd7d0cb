import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { formatDuration, formatNumber } from "./format.js";
import { Results } from "./results.js";
import { type Fixture, sweepFixture } from "./test-support/fixture.js";

let fx: Fixture;
let results: Results;
beforeAll(async () => {
  fx = await sweepFixture();
  results = await Results.fromStore(fx.store);
});
afterAll(async () => fx.cleanup());

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes.
const ANSI = /\u001b\[/;

describe("display", () => {
  it("prints a table with no ANSI codes when stdout is not a TTY, and returns it", () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    const tty = Object.getOwnPropertyDescriptor(process.stdout, "isTTY");
    Object.defineProperty(process.stdout, "isTTY", { value: false, configurable: true });
    let text: string;
    try {
      text = results.display();
    } finally {
      spy.mockRestore();
      if (tty) Object.defineProperty(process.stdout, "isTTY", tty);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
    expect(writes.join("")).toBe(text);
    expect(text).not.toMatch(ANSI);
    const lines = text.split("\n");
    expect(lines[0]).toBe("7 runs · sweep:1.0.0, other:0.1.0");
    expect(text).toMatch(/run_id\s+experiment\s+status\s+duration\s+lr\s+/);
    expect(text).toMatch(/\bfailed\b/);
    expect(text).toContain("summary: 7 runs (success 5, failed 1, cancelled 1)");
    expect(text).toMatch(/acc\s+5\s+0\s+0\.54\s/);
    expect(text).toContain("Infinity");
  });

  it("colours only when asked or on a TTY", () => {
    expect(results.display({ print: false, color: true })).toMatch(ANSI);
    expect(results.display({ print: false, color: false })).not.toMatch(ANSI);
  });

  it("shows fixed params on one line and varying ones as columns", () => {
    const text = results.slice(0, 4).display({ print: false, showSummary: false });
    expect(text).toContain("fixed params: model.kind=linear, model.layers=[4,2]");
    expect(text).toMatch(/\blr\s+seed\b/);
    expect(text).not.toContain("summary");
  });

  it("groups by fields with mean ± std per metric", () => {
    const text = results.filter({ status: "success", params: { seed: (v) => v !== undefined } }).display({
      print: false,
      groupBy: ["lr"],
      showSummary: false,
    });
    const lines = text.split("\n");
    expect(lines[2]).toMatch(/^\s*lr\s+runs\s+success\s+acc\s+loss\s+odd/);
    expect(lines[4]).toMatch(/^\s*0\.01\s+2\s+2\/2\s+0\.75 ± 0\.071\b/);
    expect(lines[5]).toMatch(/^\s*0\.1\s+2\s+2\/2\s+0\.55 ± 0\.071\b/);
    expect(() => results.display({ print: false, groupBy: "nope" })).toThrow(/groupBy/);
    expect(results.display({ print: false, groupBy: "params.lr", showSummary: false })).toContain("lr");
  });

  it("of no runs", () => {
    expect(results.filter({ status: "running" }).display({ print: false })).toBe("0 runs\n");
  });

  it("formats numbers and durations", () => {
    expect(formatNumber(0.912345)).toBe("0.9123");
    expect(formatNumber(1e-7)).toBe("1.00e-7");
    expect(formatNumber(42)).toBe("42");
    expect(formatNumber(Number.NaN)).toBe("NaN");
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(12_345)).toBe("12.3s");
    expect(formatDuration(245_000)).toBe("4m 05s");
  });
});
