import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { LocalBlobStore } from "../../../artifacts/local.js";
import { heartbeatTimeout } from "../../../heartbeat.js";
import { migrate } from "../../migrations/migrations.js";
import { SqlStore } from "../../sql-store.js";
import { openSqlite } from "./connect.js";
import { sqliteParamLeaves } from "./param-leaves.js";
import { sqliteRunChanges } from "./run-changes.js";

export interface SqliteStoreOptions {
  workspace?: string;
  busyTimeoutMs?: number;
  /** See {@link Store.heartbeatTimeoutMs} (default `$LABBOOK_HEARTBEAT_TIMEOUT_MS`, else 60,000). */
  heartbeatTimeoutMs?: number;
}

/**
 * Opens (creating it when absent) the embedded store in a folder: `labbook.db`
 * (SQLite, WAL) and `artifacts/`. Migrates the schema on open, and removes temporary artifact
 * files that a killed writer left (see {@link LocalBlobStore.removeLeftovers}).
 *
 * @example
 * const store = await openSqliteStore("./labbook");
 */
export async function openSqliteStore(dir: string, options: SqliteStoreOptions = {}): Promise<SqlStore> {
  const root = resolve(dir);
  const heartbeatTimeoutMs = heartbeatTimeout(options.heartbeatTimeoutMs);
  mkdirSync(join(root, "artifacts"), { recursive: true });
  const { db, write, selectArrays } = openSqlite(join(root, "labbook.db"), {
    busyTimeoutMs: options.busyTimeoutMs,
  });
  try {
    await migrate(db, { serialPk: "integer", float: "real", withoutRowid: true, runChangeLog: true }, root);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  const blobs = new LocalBlobStore(join(root, "artifacts"));
  await blobs.removeLeftovers();
  return new SqlStore({
    db,
    dialect: "sqlite",
    blobs,
    workspace: options.workspace ?? "default",
    uri: root,
    heartbeatTimeoutMs,
    write,
    close: () => db.destroy(),
    runChanges: sqliteRunChanges(db, selectArrays),
    paramLeaves: sqliteParamLeaves(db),
    selectArrays,
  });
}
