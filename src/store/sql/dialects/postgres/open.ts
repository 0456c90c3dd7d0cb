import { sql } from "kysely";
import { NoBlobStore, openBlobStore } from "../../../artifacts/open-blobs.js";
import type { ArtifactBlobStore } from "../../../artifacts/types.js";
import { heartbeatTimeout } from "../../../heartbeat.js";
import { migrate } from "../../migrations/migrations.js";
import { rowArrays } from "../../shared/row-objects.js";
import { SqlStore } from "../../sql-store.js";
import { postgresChangeToken } from "./change-token.js";
import { openPostgres, quoteIdent } from "./connect.js";
import { postgresDialect } from "./dialect.js";
import { postgresRunChanges } from "./run-changes.js";
import { parsePostgresUri, redact } from "./uri.js";

export interface PostgresStoreOptions {
  workspace?: string;
  /** See {@link Store.heartbeatTimeoutMs} (default `$LABBOOK_HEARTBEAT_TIMEOUT_MS`, else 60,000). */
  heartbeatTimeoutMs?: number;
  /**
   * Where artifact bytes go: `s3://bucket/prefix`, a folder (`file:PATH`), or a blob store.
   * Without one, artifact reads and writes fail with a message naming this option.
   */
  artifacts?: string | ArtifactBlobStore;
}

/**
 * Opens the SQL store in a PostgreSQL database (`postgres://` or `postgresql://`; `?schema=`
 * and `?pool=` as {@link parsePostgresUri} reads them), migrating its schema once under an
 * advisory lock: several processes may open one new database at the same moment.
 *
 * @example
 * const store = await openPostgresStore("postgres://lab@db:5432/lab", { artifacts: "s3://team/labbook" });
 */
export async function openPostgresStore(uri: string, options: PostgresStoreOptions = {}): Promise<SqlStore> {
  const target = parsePostgresUri(uri);
  const shown = redact(uri);
  const blobs =
    options.artifacts === undefined
      ? new NoBlobStore(shown)
      : typeof options.artifacts === "string"
        ? await openBlobStore(options.artifacts)
        : options.artifacts;
  const pgh = openPostgres(target);
  try {
    if (target.schema) {
      // `create schema if not exists` races with itself: under the same lock as migrations.
      await pgh.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${`labbook schema ${target.schema}`}))`.execute(trx);
        await sql.raw(`create schema if not exists ${quoteIdent(target.schema!)}`).execute(trx);
      });
    }
    await migrate(pgh.db, postgresDialect, shown);
  } catch (e) {
    await pgh.close();
    throw e;
  }
  return new SqlStore({
    db: pgh.db,
    dialect: postgresDialect,
    blobs,
    workspace: options.workspace ?? "default",
    uri: shown,
    heartbeatTimeoutMs: heartbeatTimeout(options.heartbeatTimeoutMs),
    write: pgh.write,
    close: () => pgh.close(),
    stream: pgh.stream,
    // Counts and pages are kept per store handle, each checked against the database's snapshot
    // on every search: another replica's commit makes them stale at once (see change-token.ts).
    changeToken: postgresChangeToken(pgh.db),
    // Counts and orders of matches followed run by run through the runs changed since.
    runChanges: postgresRunChanges(pgh.db),
    selectAll: (q) =>
      pgh.db.transaction().execute(async (trx) => {
        await sql`set local enable_nestloop = off`.execute(trx);
        return rowArrays((await trx.executeQuery<Record<string, unknown>>(q)).rows);
      }),
    writeCounts: pgh.counts,
  });
}
