import type { CompiledQuery, Kysely } from "kysely";
import type { ArtifactBlobStore } from "../artifacts/types.js";
import type { SqlDialect } from "./dialects/types.js";
import type { Database } from "./schema.js";
import type { WriteTx } from "./write-tx.js";

/**
 * What the SQL store's parts share: the database and its dialect, the artifact blobs and the
 * workspace, and the optional capabilities of its connection (absent: the store takes another,
 * always correct path).
 */
export interface SqlContext {
  db: Kysely<Database>;
  dialect: SqlDialect;
  blobs: ArtifactBlobStore;
  workspace: string;
  uri: string;
  /** A `running` run or execution whose heartbeat is older than this reads `crashed` (runs/liveness.ts). */
  heartbeatTimeoutMs: number;
  /**
   * Runs `fn` in one write transaction. Every statement inside goes through `tx` (never
   * `db`): the dialect may hold its only connection for the whole transaction.
   */
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>;
  /** Closes the database and anything else the store opened. */
  close(): Promise<void>;
  /** A select's rows as arrays in column order, when the driver can skip building row objects. */
  selectArrays?(q: CompiledQuery): Promise<{ names: string[]; rows: unknown[][] }>;
  /** The runs this connection changed, for caches kept up to date run by run (absent: none). */
  runChanges?: RunChangeFeed;
  /**
   * A token that changes whenever the database may have changed (writes of this connection or
   * commits of others), for caches of counts (absent: nothing is cached).
   */
  changeToken?(): Promise<string>;
  /**
   * A select's rows streamed through a server-side cursor, `size` rows at a time, so that a long
   * listing holds one batch in memory (absent: listings read page by page on a keyset).
   */
  stream?<R = Record<string, unknown>>(q: CompiledQuery, size: number): AsyncIterable<R[]>;
}

/** Where a database stands for {@link RunChangeFeed}. */
export interface RunChangeMark {
  /** Changes when another connection (or process) commits. */
  epoch: number;
  /** Grows with each change this connection makes to a run or its params, metrics, tags, derived values. */
  seq: number;
}

/** The runs this connection changed since a mark; see `sqliteRunChanges`. */
export interface RunChangeFeed {
  /** Where the database stands now. */
  mark(): Promise<RunChangeMark>;
  /**
   * Keys of the runs changed after `seq` (deleted ones included), at most `limit`; `null` when
   * there are more, or when changes that old are no longer kept.
   */
  changedSince(seq: number, limit: number): Promise<number[] | null>;
}
