import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvCell, csvTarget, fileStamp } from "./csv.js";
import { Results } from "./results.js";
import { flattenObject } from "./table.js";
import { type Fixture, sweepFixture } from "./test-support/fixture.js";

let fx: Fixture;
let results: Results;
let out: string;
beforeAll(async () => {
  fx = await sweepFixture();
  results = await Results.fromStore(fx.store);
  out = mkdtempSync(join(tmpdir(), "labbook-csv-"));
});
afterAll(async () => {
  await fx.cleanup();
  rmSync(out, { recursive: true, force: true });
});

describe("table", () => {
  it("one flat row per run, same columns everywhere", () => {
    const rows = results.table();
    expect(rows.length).toBe(7);
    const cols = Object.keys(rows[0]!);
    expect(cols.slice(0, 6)).toEqual([
      "run_id",
      "experiment_id",
      "status",
      "started_at",
      "finished_at",
      "duration_ms",
    ]);
    for (const r of rows) expect(Object.keys(r)).toEqual(cols);
    expect(cols).toContain("param_model.kind");
    expect(cols).toContain("param_model.layers");
    expect(cols).toContain("metric_acc");
    expect(cols).not.toContain("params_fingerprint");
    const first = rows[0]!;
    expect(first).toMatchObject({
      param_lr: 0.1,
      "param_model.layers": [4, 2],
      metric_loss: 1 / 3,
      param_note: null,
    });
    expect(rows[4]).toMatchObject({
      status: "failed",
      metric_loss: Number.POSITIVE_INFINITY,
      metric_acc: null,
    });
  });

  it("includes fingerprints when asked", () => {
    const row = results.table({ includeFingerprints: true })[0]!;
    expect(row.params_fingerprint).toBe(results.at(0)!.paramsFingerprint);
    expect(row.seed_fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(row.context_fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("adds derived columns on the fly without storing them", async () => {
    const rows = results.table({ derived: [(run) => ({ double_lr: Number(run.params.lr) * 2 })] });
    expect(rows[0]!.derived_double_lr).toBe(0.2);
    const again = await Results.fromStore(fx.store);
    expect(again.at(0)!.derived).toEqual({});
    expect(Object.keys(again.table()[0]!).some((k) => k.startsWith("derived_"))).toBe(false);
  });

  it("refuses async functions in table() and takes them in tableAsync()", async () => {
    expect(() => results.table({ derived: [async () => ({ x: 1 })] })).toThrow(/tableAsync/);
    expect(() => results.table({ derived: [() => 3 as never] })).toThrow(
      /derived\[0\]: must return a record/,
    );
    const rows = await results.tableAsync({
      derived: [async (run) => ({ last: (await run.series("loss")).values.at(-1) ?? null })],
    });
    expect(rows[0]!.derived_last).toBeCloseTo(1 / 3);
  });

  it("flattenObject", () => {
    expect(flattenObject({ a: { b: 1, c: { d: "x" } }, e: [1], f: {} })).toEqual({
      "a.b": 1,
      "a.c.d": "x",
      e: [1],
      f: {},
    });
  });
});

describe("CSV", () => {
  it("quotes as RFC 4180 and names non-finite numbers", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\r")).toBe('"cr\r"');
    expect(csvCell(Number.NaN)).toBe("NaN");
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(csvCell(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
    expect(csvCell(null)).toBe("");
    expect(csvCell([1, Number.NaN])).toBe('"[1,""NaN""]"');
    expect(csvCell(false)).toBe("false");
  });

  it("writes a file and returns its path", async () => {
    const path = await results.toCsv(join(out, "sub", "all.csv"));
    expect(path).toBe(join(out, "sub", "all.csv"));
    const text = readFileSync(path, "utf8");
    const lines = text.split("\r\n");
    expect(lines[0]!.startsWith("run_id,experiment_id,status,started_at,finished_at,duration_ms,")).toBe(
      true,
    );
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text).toContain('"a,b ""c""\nd"');
    expect(text).toContain(",Infinity,");
    expect(text).toContain('"[4,2]"');
    expect(lines[0]).not.toContain("fingerprint");
  });

  it("a directory gets a time-stamped name; timestamp stamps a file name; fingerprints when asked", async () => {
    const a = await results.toCsv(`${out}/`);
    const b = await results.toCsv(out);
    expect(a).toMatch(/results_\d{8}_\d{6}(_\d+)?\.csv$/);
    expect(b).not.toBe(a);
    const c = await results.toCsv(join(out, "x.csv"), { timestamp: true, includeFingerprints: true });
    expect(c).toMatch(/x_\d{8}_\d{6}\.csv$/);
    expect(readFileSync(c, "utf8").split("\r\n")[0]).toMatch(
      /params_fingerprint,seed_fingerprint,context_fingerprint$/,
    );
  });

  it("an empty Results writes the header only", async () => {
    const text = await results.filter({ status: "running" }).toCsvText();
    expect(text).toBe("run_id,experiment_id,status,started_at,finished_at,duration_ms\r\n");
  });

  it("stamps and targets", () => {
    expect(fileStamp(new Date("2026-11-22T09:45:01.123Z"))).toBe("20261122_094501");
    expect(csvTarget(join(out, "y.csv"), false)).toBe(join(out, "y.csv"));
  });
});
