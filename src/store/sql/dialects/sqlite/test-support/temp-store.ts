import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import type { SqlStore } from "../../../sql-store.js";
import { openSqliteStore } from "../open.js";

/** A SQLite store in a new temporary folder, for tests: `close()` closes it and removes the folder. */
export interface TempStore {
  dir: string;
  store: SqlStore;
  /** Another store handle (its own connection) over the same folder, closed with the first. */
  another(): Promise<SqlStore>;
  /** Closes every handle (one the test already closed is fine: closing twice is a no-op), removes the folder. */
  close(): Promise<void>;
}

/**
 * Opens a SQLite store in a fresh temporary folder.
 *
 * @example
 * const t = await tempStore("run-index");
 * try { await t.store.startRun({ experiment: "x" }); } finally { await t.close(); }
 */
export async function tempStore(label: string): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), `labbook-${label}-`));
  const store = await openSqliteStore(dir);
  const others: SqlStore[] = [];
  return {
    dir,
    store,
    async another() {
      const other = await openSqliteStore(dir);
      others.push(other);
      return other;
    },
    async close() {
      for (const o of others) await o.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file: returns a `fresh()` that opens a {@link tempStore} per call, and registers an
 * `afterEach` that closes (and removes) every store opened during the test.
 *
 * @example
 * const fresh = useTempStores("cols");
 * it("logs rows", async () => {
 *   const { store } = await fresh();
 *   await store.startRun({ experiment: "x" });
 * });
 */
export function useTempStores(label: string): () => Promise<TempStore> {
  const open: TempStore[] = [];
  afterEach(async () => {
    for (const t of open.splice(0)) await t.close();
  });
  return async () => {
    const t = await tempStore(label);
    open.push(t);
    return t;
  };
}
