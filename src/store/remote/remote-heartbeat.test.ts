import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../server/start.js";
import { keepAlive, stopHeartbeats } from "../heartbeat.js";
import { openStore } from "../open-store.js";
import { openSqliteStore } from "../sql/dialects/sqlite/open.js";
import type { Store } from "../types.js";
import "./register.js";

let dir: string;
let backing: Store;
let server: RunningServer;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "labbook-remote-beat-"));
  backing = await openSqliteStore(dir, { heartbeatTimeoutMs: 1500 });
  server = await startServer(backing, { host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await server.close();
  await backing.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("heartbeats through the HTTP API", () => {
  it("a remote client's open runs and executions stay running; once it stops, they read crashed over HTTP", async () => {
    const client = await openStore(server.url);
    expect(client.heartbeatTimeoutMs).toBe(1500); // the server's, from the session
    const run = await client.startRun({ experiment: "remote-beat", params: { k: 1 } });
    await run.logMetric("acc", 0.5);
    await run.flush();
    const exec = await client.createExecution({ experiment: "remote-beat" });
    keepAlive(client, { execution: { name: "remote-beat", executionId: exec.executionId } }); // as the runner does
    await sleep(2500); // past the timeout: only the client's heartbeats (POST /api/v1/heartbeat) keep them
    const reader = await openStore(server.url);
    expect((await reader.getRun(run.runId)).status).toBe("running");
    expect((await reader.getExecution("remote-beat")).status).toBe("running");
    stopHeartbeats(client); // its heartbeats stop, as when its process is killed
    await sleep(1800);
    const rec = await reader.getRun(run.runId);
    expect([rec.status, rec.metrics]).toEqual(["crashed", { acc: 0.5 }]);
    const res = await fetch(`${server.url}/api/v1/runs?status=crashed`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { runId: string }[] }).data.map((r) => r.runId)).toEqual([
      run.runId,
    ]);
    expect((await reader.getExecution("remote-beat", { executionId: exec.executionId })).status).toBe(
      "crashed",
    );
    const beat = await fetch(`${server.url}/api/v1/heartbeat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ runIds: [run.runId] }),
    });
    expect(beat.status).toBe(204);
    expect((await reader.getRun(run.runId)).status).toBe("running");
    const bad = await fetch(`${server.url}/api/v1/heartbeat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ runIds: "x" }),
    });
    expect(bad.status).toBe(400);
    await reader.close();
    await client.close();
  });
});
