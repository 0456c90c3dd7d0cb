import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../server/start.js";
import { openSqliteStore } from "../../store/sql/dialects/sqlite/open.js";
import type { SqlStore } from "../../store/sql/sql-store.js";
import { cli } from "../test-support/capture.js";

let dir: string;
let store: SqlStore;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "labbook-cli-keys-"));
  store = await openSqliteStore(dir);
  const run = await store.withWorkspace("team").startRun({ experiment: "e", name: "visible" });
  await run.logMetrics({ acc: 0.75 });
  await run.finish();
  server = await startServer(store, { port: 0 });
});
afterAll(async () => {
  delete process.env.LABBOOK_API_KEY;
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("labbook keys and --store http://", () => {
  it("creates a key printed once, lists it without the secret, and revokes it", async () => {
    const made = await cli(["--store", dir, "keys", "create", "--workspace", "team", "--role", "write"]);
    expect(made.code).toBe(0);
    const key = made.stdout.trim();
    expect(key).toMatch(/^lbk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(made.stderr).toMatch(/not shown again/);
    const listed = await cli(["--store", dir, "keys", "list", "--json"]);
    const rows = JSON.parse(listed.stdout) as { id: string; workspace: string; role: string }[];
    expect(rows).toEqual([expect.objectContaining({ workspace: "team", role: "write" })]);
    expect(listed.stdout).not.toContain(key.slice(21));
    const table = await cli(["--store", dir, "keys", "list"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^id\s+workspace\s+role\s+name\s+created_at\s+state$/);
    expect(table.stdout).toMatch(/\n[0-9a-f]{16}\s+team\s+write\s+-\s+\S+\s+active\n/);

    // the CLI works unchanged against the server, with the key from the environment
    process.env.LABBOOK_API_KEY = key;
    const runs = await cli(["--store", server.url, "runs", "--json"]);
    expect(runs.code).toBe(0);
    expect((JSON.parse(runs.stdout) as { name: string }[]).map((r) => r.name)).toEqual(["visible"]);
    process.env.LABBOOK_URL = server.url;
    try {
      const viaEnv = await cli([
        "show",
        (JSON.parse(runs.stdout) as { runId: string }[])[0]!.runId,
        "--json",
      ]);
      expect(viaEnv.code).toBe(0);
      expect(JSON.parse(viaEnv.stdout)).toMatchObject({ name: "visible", metrics: { acc: 0.75 } });
    } finally {
      delete process.env.LABBOOK_URL;
    }

    const bad = await cli(["--store", dir, "keys", "create", "--workspace", "team", "--role", "owner"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--role: must be read, write or admin/);

    const revoked = await cli(["--store", dir, "keys", "revoke", rows[0]!.id]);
    expect(revoked.stdout).toMatch(/^revoked /);
    const refused = await cli(["--store", server.url, "runs"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/API key: unknown or revoked/);
  });
});
