import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../server/start.js";
import { openStore } from "./open-store.js";
import "./remote/register.js";
import { type TempStore, tempStore } from "./sql/dialects/sqlite/test-support/temp-store.js";
import type { SqlStore } from "./sql/sql-store.js";
import { describeDialects, useTempStores } from "./sql/test-support/temp-store.js";

const root = join(import.meta.dirname, "..", "..");

describeDialects("a started run is visible to every reader, and survives close()", (dialect) => {
  const fresh = useTempStores("visible", dialect);

  it("another process reads it as running as soon as startRun returns", async () => {
    const { uri, store } = await fresh();
    const run = await store.startRun({ experiment: "seen", params: { lr: 0.5 } });
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "--store", uri, "show", run.runId, "--json"],
      { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 },
    );
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ runId: run.runId, status: "running", params: { lr: 0.5 } });
    await run.finish();
  });

  it("close() writes what open handles hold and ends their runs failed", async () => {
    const t = await fresh();
    const quiet = await t.store.startRun({ experiment: "closed" }); // logs nothing
    const busy = await t.store.startRun({ experiment: "closed" });
    void busy.logMetric("loss", 0.5); // buffered
    void busy.logRows([{ datapointId: "q1", scores: { ok: 1 } }]);
    void busy.logArtifact("note.txt", "kept");
    const done = await t.store.startRun({ experiment: "closed" });
    await done.finish();
    await t.store.close();
    const reader = await t.another();
    for (const id of [quiet.runId, busy.runId]) {
      const rec = await reader.getRun(id);
      expect(rec.status).toBe("failed");
      expect(rec.error?.message).toBe("ended without finish(): the store was closed");
    }
    expect((await reader.getRun(busy.runId)).metrics).toEqual({ loss: 0.5 });
    const rows = [];
    for await (const r of reader.iterateRowRecords(busy.runId)) rows.push(r.datapointId);
    expect(rows).toEqual(["q1"]);
    expect(Buffer.from((await reader.getArtifact(busy.runId, "note.txt")).bytes).toString()).toBe("kept");
    expect((await reader.getRun(done.runId)).status).toBe("success");
    await expect(busy.logMetric("loss", 1)).rejects.toThrow(/has ended \(failed\)/);
  });

  it("close() waits for writes left un-awaited, an un-awaited finish() included", async () => {
    const t = await fresh();
    const run = await t.store.startRun({ experiment: "closed" });
    for (let step = 1; step <= 50; step++) void run.logMetric("loss", 1 / step, { step });
    void run.logRows([{ datapointId: "q1", scores: { ok: 1 } }]);
    void run.logArtifact("note.json", { last: true });
    const finished = run.finish(); // not awaited before close()
    await t.store.close();
    await expect(finished).resolves.toBeUndefined();
    const reader = await t.another();
    const rec = await reader.getRun(run.runId);
    expect(rec).toMatchObject({ status: "success", error: null, metrics: { loss: 1 / 50 } });
    expect((await reader.getSeries(run.runId, "loss")).values).toHaveLength(50);
    const rows = [];
    for await (const r of reader.iterateRowRecords(run.runId)) rows.push(r.datapointId);
    expect(rows).toEqual(["q1"]);
    expect(
      JSON.parse(Buffer.from((await reader.getArtifact(run.runId, "note.json")).bytes).toString()),
    ).toEqual({
      last: true,
    });
  });
});

describe("a run started through the remote store exists on the server at once", () => {
  let t: TempStore;
  let backing: SqlStore;
  let server: RunningServer;
  beforeAll(async () => {
    t = await tempStore("visible-remote");
    backing = t.store;
    server = await startServer(backing, { host: "127.0.0.1", port: 0, allowOpen: true });
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it("the server lists it running and takes an artifact PUT for it", async () => {
    const remote = await openStore(server.url);
    const run = await remote.startRun({ experiment: "remote-seen" });
    expect((await backing.getRun(run.runId)).status).toBe("running");
    const res = await fetch(`${server.url}/api/v1/runs/${run.runId}/artifacts/a1`, {
      method: "PUT",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array([1, 2, 3]),
    });
    expect(res.status).toBe(200);
    void run.logMetric("acc", 1);
    await remote.close(); // ends the open run through the server
    expect(await backing.getRun(run.runId)).toMatchObject({ status: "failed", metrics: { acc: 1 } });
  });
});
