import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { LocalBlobStore } from "../../../artifacts/local.js";
import { openBlobStore } from "../../../artifacts/open-blobs.js";
import type { ArtifactBlobStore } from "../../../artifacts/types.js";
import { heartbeatTimeout } from "../../../heartbeat.js";
import { migrate } from "../../migrations/migrations.js";
import { SqlStore } from "../../sql-store.js";
import { openSqlite } from "./connect.js";
import { sqliteDialect } from "./dialect.js";
import { sqliteParamLeaves } from "./param-leaves.js";
import { sqliteChangeToken, sqliteRunChanges } from "./run-changes.js";

export interface SqliteStoreOptions {
  workspace?: string;
  busyTimeoutMs?: number;
  /** Where artifact bytes go: `s3://bucket/prefix`, a folder, or a blob store (default: `artifacts/`). */
  artifacts?: string | ArtifactBlobStore;
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
  const blobs =
    options.artifacts === undefined
      ? new LocalBlobStore(join(root, "artifacts"))
      : typeof options.artifacts === "string"
        ? await openBlobStore(options.artifacts)
        : options.artifacts;
  const { db, write, writeSteps, writeStepsNow, selectArrays } = openSqlite(join(root, "labbook.db"), {
    busyTimeoutMs: options.busyTimeoutMs,
  });
  try {
    await migrate(db, sqliteDialect, root);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  if (blobs instanceof LocalBlobStore) await blobs.removeLeftovers();
  return new SqlStore({
    db,
    dialect: sqliteDialect,
    blobs,
    workspace: options.workspace ?? "default",
    uri: root,
    heartbeatTimeoutMs,
    write,
    writeSteps,
    writeStepsNow,
    close: () => db.destroy(),
    runChanges: sqliteRunChanges(db, selectArrays),
    paramLeaves: sqliteParamLeaves(db),
    changeToken: sqliteChangeToken(db),
    selectArrays,
  });
}
