import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../server/start.js";
import { openPostgresStore } from "./sql/dialects/postgres/open.js";
import { openSqliteStore } from "./sql/dialects/sqlite/open.js";
import { describePostgres, pgTestDatabase } from "./sql/test-support/temp-store.js";
import type { Store } from "./types.js";

const script = join(import.meta.dirname, "test-support", "exit-child.ts");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "labbook-exit-"));
  dirs.push(d);
  return d;
}

/** Runs the child in `mode`; with `signal`, sends it once the child is ready. */
function child(uri: string, mode: string, signal?: NodeJS.Signals, env: Record<string, string> = {}) {
  const p = spawn(process.execPath, ["--import", "tsx", script, uri, mode], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LABBOOK_API_KEY: "", ...env },
  });
  let out = "";
  let err = "";
  p.stdout.on("data", (d) => {
    out += d;
    if (signal && out.includes("ready\n")) p.kill(signal);
  });
  p.stderr.on("data", (d) => {
    err += d;
  });
  // The run id is the child's first line, read long before it exits.
  return new Promise<{ runId: string; code: number | null; signal: string | null; stderr: string }>(
    (resolve) =>
      p.on("exit", (code, sig) =>
        resolve({ runId: /run (\S+)/.exec(out)?.[1] ?? "", code, signal: sig, stderr: err }),
      ),
  );
}

/** Everything the child logged is stored, and the run ended as expected. */
async function expectWhole(store: Store, runId: string, status: string, message?: RegExp) {
  const run = await store.getRun(runId);
  expect(run.status).toBe(status);
  if (message) expect(run.error?.message).toMatch(message);
  else expect(run.error).toBeNull();
  expect(run.finishedAt).not.toBeNull();
  expect(run.metrics).toMatchObject({ loss: 0.25, last: 7 });
  expect(run.tags.stage).toBe("exit");
  expect((await store.getSeries(runId, "loss")).values).toEqual([0.5, 0.25]);
  const rows = [];
  for await (const r of store.iterateRowRecords(runId)) rows.push(r);
  expect(rows.map((r) => r.datapointId)).toEqual(["q1"]);
  const note = await store.getArtifact(runId, "note.json");
  expect(JSON.parse(Buffer.from(note.bytes).toString())).toHaveProperty("mode");
  expect(await store.getData(runId, "curve")).toEqual([1, 2, 3]);
}

/** A program's ending (the child's mode), the signal sent to it, the run's status and error, and a check of the exit. */
type ExitCase = [
  string,
  NodeJS.Signals | undefined,
  string,
  RegExp | undefined,
  (r: { code: number | null; signal: string | null }) => void,
];

describe("a script that ends without finish() (embedded store, real child processes)", () => {
  const cases: ExitCase[] = [
    ["end", undefined, "failed", /^ended without finish\(\)$/, (r) => expect(r.code).toBe(0)],
    ["throw", undefined, "failed", /^boom in throw$/, (r) => expect(r.code).toBe(1)],
    ["reject", undefined, "failed", /^rejected and not handled$/, (r) => expect(r.code).toBe(1)],
    ["exit", undefined, "failed", /^ended without finish\(\)$/, (r) => expect(r.code).toBe(3)],
    ["wait", "SIGINT", "cancelled", undefined, (r) => expect(r.signal).toBe("SIGINT")],
    ["wait", "SIGTERM", "cancelled", undefined, (r) => expect(r.signal).toBe("SIGTERM")],
    // The program's own SIGINT listener decides: it exits 0, and the run it left open is cancelled.
    ["handled", "SIGINT", "cancelled", undefined, (r) => expect([r.code, r.signal]).toEqual([0, null])],
  ];
  for (const [mode, signal, status, message, exitAs] of cases) {
    it(`${mode}${signal ? ` + ${signal}` : ""}: the run is whole and ends ${status}`, async () => {
      const dir = tempDir();
      const r = await child(dir, mode, signal);
      exitAs(r);
      expect(r.runId, r.stderr).not.toBe("");
      const store = await openSqliteStore(dir);
      try {
        await expectWhole(store, r.runId, status, message);
      } finally {
        await store.close();
      }
    });
  }
});

describe("a script that ends without finish() (remote store)", () => {
  let dir: string;
  let backing: Store;
  let server: RunningServer;
  beforeAll(async () => {
    dir = tempDir();
    backing = await openSqliteStore(dir);
    server = await startServer(backing, { host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await backing.close();
  });

  it("end: written and failed through the server", async () => {
    const r = await child(server.url, "end");
    expect(r.code).toBe(0);
    await expectWhole(backing, r.runId, "failed", /^ended without finish\(\)$/);
  });

  it("SIGTERM: written and cancelled through the server, then the process ends by the signal", async () => {
    const r = await child(server.url, "wait", "SIGTERM");
    expect(r.signal).toBe("SIGTERM");
    await expectWhole(backing, r.runId, "cancelled");
  });
});

describePostgres("a script that ends without finish() (PostgreSQL store, real child processes)", () => {
  let schemas = 0;
  /** A new schema of the test database, its artifacts in a temporary folder. */
  async function target() {
    const artifacts = tempDir();
    const uri = `${await pgTestDatabase()}?schema=exit_${process.pid}_${++schemas}`;
    return { uri, artifacts: `file:${artifacts}`, env: { LABBOOK_ARTIFACTS: `file:${artifacts}` } };
  }

  // Asynchronous writes still run when the event loop empties (`beforeExit`) and on a signal.
  const whole: ExitCase[] = [
    ["end", undefined, "failed", /^ended without finish\(\)$/, (r) => expect(r.code).toBe(0)],
    ["wait", "SIGINT", "cancelled", undefined, (r) => expect(r.signal).toBe("SIGINT")],
    ["wait", "SIGTERM", "cancelled", undefined, (r) => expect(r.signal).toBe("SIGTERM")],
  ];
  for (const [mode, signal, status, message, exitAs] of whole) {
    it(`${mode}${signal ? ` + ${signal}` : ""}: the run is whole and ends ${status}`, async () => {
      const t = await target();
      const r = await child(t.uri, mode, signal, t.env);
      exitAs(r);
      expect(r.runId, r.stderr).not.toBe("");
      const store = await openPostgresStore(t.uri, { artifacts: t.artifacts });
      try {
        await expectWhole(store, r.runId, status, message);
      } finally {
        await store.close();
      }
    });
  }

  // Nothing asynchronous runs in the `exit` event: the run was stored at its start, what was
  // logged after is lost, and the run reads crashed once its heartbeat is older than the timeout.
  const lost: [string, number][] = [
    ["exit", 3],
    ["throw", 1],
  ];
  for (const [mode, code] of lost) {
    it(`${mode}: the run stays stored as started and reads crashed after the heartbeat timeout`, async () => {
      const t = await target();
      const r = await child(t.uri, mode, undefined, t.env);
      expect(r.code).toBe(code);
      expect(r.runId, r.stderr).not.toBe("");
      const patient = await openPostgresStore(t.uri, { artifacts: t.artifacts });
      const strict = await openPostgresStore(t.uri, { artifacts: t.artifacts, heartbeatTimeoutMs: 1 });
      try {
        expect(await patient.getRun(r.runId)).toMatchObject({ status: "running", params: { mode } });
        await new Promise((done) => setTimeout(done, 20));
        expect((await strict.getRun(r.runId)).status).toBe("crashed");
      } finally {
        await patient.close();
        await strict.close();
      }
    });
  }
});
