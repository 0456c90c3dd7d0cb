import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "../../../core/canonical.js";
import { toTaggedJson } from "../../../core/codec.js";
import { runFingerprints, runFingerprintsOfTagged } from "../../../core/fingerprints.js";
import { SQLITE_PAGE_SIZE, WAL_AUTOCHECKPOINT_PAGES } from "../dialects/sqlite/connect.js";
import { useTempStores } from "../dialects/sqlite/test-support/temp-store.js";

const fresh = useTempStores("create");

describe("the ingest path (prepare once, write once)", () => {
  it("fingerprints of encoded params equal those of the raw values", () => {
    const params = { b: [1, Number.NaN], a: { z: -0, y: new Float32Array([1, 2]) }, s: "é" };
    const fp = runFingerprintsOfTagged(toTaggedJson(params), undefined, null);
    expect(fp).toEqual(runFingerprints(params, undefined, null));
    expect(fp.paramsFingerprint).toBe(sha256Hex(canonicalJson(params)));
    expect(fp.seedFingerprint).toBe(sha256Hex("null"));
    expect(runFingerprintsOfTagged(toTaggedJson({}), 7, { d: 1 }).seedFingerprint).toBe(sha256Hex("7"));
  });

  it("keeps a run's params as they were at the start when the caller reuses its object", async () => {
    const { store } = await fresh();
    const params: Record<string, unknown> = { i: 1, nested: { lr: 0.1 } };
    const a = await store.startRun({ experiment: "reuse:1.0.0", params });
    params.i = 2;
    (params.nested as { lr: number }).lr = 0.2;
    const b = await store.startRun({ experiment: "reuse:1.0.0", params });
    await a.finish();
    await b.finish();
    const ra = await store.getRun(a.runId);
    const rb = await store.getRun(b.runId);
    expect(ra.params).toEqual({ i: 1, nested: { lr: 0.1 } });
    expect(rb.params).toEqual({ i: 2, nested: { lr: 0.2 } });
    expect(ra.paramsFingerprint).toBe(
      runFingerprints({ i: 1, nested: { lr: 0.1 } }, null, null).paramsFingerprint,
    );
    // The searchable leaves agree with the stored params.
    const found = await store.searchRuns({ filter: "params.nested.lr = 0.1" });
    expect(found.data.map((r) => r.runId)).toEqual([a.runId]);
  });

  it("writes params with non-finite numbers, and tags given before the first write", async () => {
    const { store } = await fresh();
    const run = await store.startRun({
      experiment: "odd",
      params: { x: Number.POSITIVE_INFINITY },
      tags: ["t"],
    });
    await run.setTags({ k: "v" });
    await run.logMetrics({ m: Number.NaN });
    await run.finish();
    const rec = await store.getRun(run.runId);
    expect(rec.params).toEqual({ x: Number.POSITIVE_INFINITY });
    expect(rec.tags).toEqual({ t: "", k: "v" });
    expect(Number.isNaN(rec.metrics.m)).toBe(true);
    expect(rec.status).toBe("success");
  });

  it("creates new databases with the ingest page size and checkpoint interval", async () => {
    const { dir, store } = await fresh();
    await store.close();
    const db = new BetterSqlite3(join(dir, "labbook.db"), { readonly: true });
    expect(db.pragma("page_size", { simple: true })).toBe(SQLITE_PAGE_SIZE);
    db.close();
    expect(WAL_AUTOCHECKPOINT_PAGES * SQLITE_PAGE_SIZE).toBeLessThanOrEqual(64 * 1024 * 1024);
  });
});

describe("run keys", () => {
  it("a replaced run's new row never takes the old key, and each commit writes no key counter", async () => {
    const { dir, store, another } = await fresh();
    const first = await store.startRun({ experiment: "keys:1.0.0", runId: "same", params: { v: 1 } });
    await first.logArtifact("note", "old");
    await first.finish();
    const again = await store.startRun({
      experiment: "keys:1.0.0",
      runId: "same",
      ifExists: "replace",
      params: { v: 2 },
    });
    await again.logArtifact("note", "new");
    await again.finish();
    const run = await store.getRun("same");
    expect(run.params).toEqual({ v: 2 });
    await store.close();
    const db = new BetterSqlite3(join(dir, "labbook.db"), { readonly: true });
    const rows = db.prepare("select id, run_id from runs").all() as { id: number; run_id: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(2); // not 1, the replaced run's key
    const ddl = db.prepare("select sql from sqlite_master where name = 'runs'").get() as { sql: string };
    expect(ddl.sql.toLowerCase()).not.toContain("autoincrement");
    db.close();
    const reopened = await another();
    const { bytes } = await reopened.getArtifact("same", "note");
    expect(Buffer.from(bytes).toString()).toContain("new");
  });
});
