import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../store/sql/dialects/sqlite/open.js";
import type { SqlStore } from "../../store/sql/sql-store.js";
import { createServer } from "../app.js";
import type { App, Role } from "../env.js";
import { SqlApiKeys } from "../keys/sql-api-keys.js";
import type { ServerOptions } from "../options.js";

/** A SQLite store in a temp folder with a server app over it (in-process, `app.request`). */
export interface ServerFixture {
  dir: string;
  store: SqlStore;
  keys: SqlApiKeys;
  app: App;
  /** Creates a key and returns request headers carrying it. */
  keyHeaders(workspace: string, role: Role): Promise<Record<string, string>>;
  cleanup(): Promise<void>;
}

export async function serverFixture(options: ServerOptions = {}): Promise<ServerFixture> {
  const dir = mkdtempSync(join(tmpdir(), "labbook-server-"));
  const store = await openSqliteStore(dir);
  const keys = new SqlApiKeys(store.ctx);
  const { app } = createServer(store, { log: () => undefined, ...options });
  return {
    dir,
    store,
    keys,
    app,
    async keyHeaders(workspace, role) {
      const { key } = await keys.create({ workspace, role });
      return { authorization: `Bearer ${key}` };
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** JSON request options. */
export function jsonInit(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
}

/** Asserts nothing of a stack trace is in an error body; returns its `error`. */
export async function errorOf(
  res: Response,
): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  const text = await res.text();
  if (/\n\s+at |\.ts:\d+|node_modules/.test(text)) throw new Error(`a stack trace leaked: ${text}`);
  return (JSON.parse(text) as { error: { code: string; message: string } }).error;
}
