import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempStores } from "../sql/dialects/sqlite/test-support/temp-store.js";
import type { Store } from "../types.js";
import { importRunsJsonl } from "./run-jsonl-import.js";
import { exportRunsFile } from "./runs-file.js";

const fresh = useTempStores("jsonl");

async function fill(store: Store): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const run = await store.startRun({
      experiment: "rt:1.2.0",
      name: i === 0 ? "ünïcode ✓" : undefined,
      params: { lr: 10 ** -i, nested: { k: [i, Number.NaN] }, big: Number.MAX_SAFE_INTEGER },
      seed: i,
      tags: i === 1 ? ["baseline"] : { stage: "dev" },
    });
    for (let s = 0; s < 4; s++) await run.logMetric("loss", 1 / (s + 1 + i), { step: s });
    await run.logMetrics({ acc: i === 2 ? Number.NaN : 0.5 + i / 10, top: Number.POSITIVE_INFINITY });
    await run.logRows([
      { datapointId: "d1", item: { q: "é" }, output: "x", scores: { ok: true, f1: Number.NaN, cat: "good" } },
      { datapointId: "d1", trial: 1, scores: { ok: false, f1: 0.25 } },
    ]);
    await run.logArtifact("weights", { w: [i], b: Number.NEGATIVE_INFINITY });
    await run.logArtifact("blob.bin", new Uint8Array([0, 255, i]));
    await run.logData("curve", new Float32Array([1, 2, i]));
    if (i === 1) await run.fail(new TypeError("boom"));
    else await run.finish();
    await store.setDerived(run.runId, { gap: i / 3 });
  }
}

/** Everything of every run, digest for digest. */
async function digest(store: Store): Promise<string> {
  const parts: unknown[] = [];
  for (const r of await store.listRuns()) {
    const rows = [];
    for await (const row of store.iterateRowRecords(r.runId)) rows.push(row);
    const series = await Promise.all(
      (await store.listSeries(r.runId)).map(async (n) => [n, await store.getSeries(r.runId, n)]),
    );
    const artifacts = (await store.listArtifacts(r.runId)).map(({ createdAt: _, ...a }) => a);
    const data = await Promise.all(
      (await store.listData(r.runId)).map(async (d) => [d, await store.getData(r.runId, d.name)]),
    );
    parts.push({ ...r, series, rows, artifacts, data });
  }
  return JSON.stringify(parts, (_k, v) =>
    typeof v === "number" && !Number.isFinite(v)
      ? `#${v}`
      : ArrayBuffer.isView(v)
        ? [v.constructor.name, ...Array.from(v as Float32Array)]
        : v,
  );
}

describe("JSONL round trip", () => {
  it("store A exported and imported into store B: the same runs, digest for digest; twice adds nothing", async () => {
    const a = await fresh();
    const b = await fresh();
    await fill(a.store);
    const file = join(a.dir, "runs.jsonl");
    expect(
      await exportRunsFile(a.store, file, { format: "jsonl", series: true, rows: true, artifacts: true }),
    ).toBe(3);
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(3);
    expect(await importRunsJsonl(b.store, file)).toEqual({
      runs: 3,
      skipped: 0,
      rows: 6,
      artifacts: 6,
      errors: [],
    });
    const want = await digest(a.store);
    expect(await digest(b.store)).toBe(want);
    expect(await importRunsJsonl(b.store, file)).toEqual({
      runs: 0,
      skipped: 3,
      rows: 0,
      artifacts: 0,
      errors: [],
    });
    expect(await digest(b.store)).toBe(want);
  });

  it("a malformed line is reported with its number and nothing of it is written", async () => {
    const a = await fresh();
    const b = await fresh();
    await fill(a.store);
    const file = join(a.dir, "runs.jsonl");
    await exportRunsFile(a.store, file, { format: "jsonl", rows: true });
    const [l1, l2, l3] = readFileSync(file, "utf8").trim().split("\n") as [string, string, string];
    const bad = JSON.parse(l2);
    bad.rows[1].scores.f1 = { not: "a score" };
    writeFileSync(file, `${l1}\n${JSON.stringify(bad)}\n{"labbook": 1, "runId": \n\n${l3}\n`);
    const report = await importRunsJsonl(b.store, file);
    expect(report.runs).toBe(2);
    expect(report.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(report.errors[0]!.message).toMatch(/rows\[1\]\.scores\.f1/);
    expect(report.errors[1]!.message).toMatch(/not valid JSON/);
    expect(Object.keys(await b.store.runStatuses([bad.runId]))).toEqual([]);
    expect((await b.store.listRuns()).length).toBe(2);
  });
});
