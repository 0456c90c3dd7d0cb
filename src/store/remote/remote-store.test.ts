import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type RunningServer, startServer } from "../../server/start.js";
import { runStoreContract } from "../contract/suite.js";
import { openStore } from "../open-store.js";
import { openSqliteStore } from "../sql/dialects/sqlite/open.js";
import type { Store } from "../types.js";
import "./register.js";

// One server over one SQLite store; each case gets a fresh workspace of it, through its own
// API key, so cases are isolated exactly as two tenants of one server are.
let dir: string;
let backing: Store;
let server: RunningServer;
let n = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "labbook-remote-"));
  backing = await openSqliteStore(dir);
  server = await startServer(backing, { host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await server.close();
  await backing.close();
  rmSync(dir, { recursive: true, force: true });
});

runStoreContract("remote", async () => {
  const { SqlApiKeys } = await import("../../server/keys/sql-api-keys.js");
  const { SqlStore } = await import("../sql/sql-store.js");
  const keys = new SqlApiKeys((backing as InstanceType<typeof SqlStore>).ctx);
  const { key } = await keys.create({ workspace: `case${++n}`, role: "write" });
  const store = await openStore(server.url, { apiKey: key });
  return { store, cleanup: () => store.close() };
});
