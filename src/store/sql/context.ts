import type { CompiledQuery, Kysely } from "kysely";
import type { ArtifactBlobStore } from "../artifacts/types.js";
import type { SqlDialect } from "./dialects/types.js";
import type { Database } from "./schema.js";
import type { TxSteps, WriteTx } from "./write-tx.js";

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
  /**
   * Runs a transaction given as steps (see `writeSteps` in write-tx.ts, which falls back on
   * {@link write} when a dialect leaves this out). SQLite runs the steps and the commit in one
   * synchronous turn once its connection is free, and calls `onCommit` in that turn.
   */
  writeSteps?<T>(steps: () => TxSteps<T>, onCommit?: (value: T) => void): Promise<T>;
  /**
   * SQLite only: runs a transaction of steps synchronously, now, without waiting for the
   * connection: for a process that is exiting (nothing else will run). A transaction that an
   * interrupted asynchronous write left open is rolled back first.
   */
  writeStepsNow?<T>(steps: () => TxSteps<T>): T;
  /** Closes the database and anything else the store opened. */
  close(): Promise<void>;
  /** A select's rows as arrays in column order, when the driver can skip building row objects. */
  selectArrays?(q: CompiledQuery): Promise<{ names: string[]; rows: unknown[][] }>;
  /**
   * A select of a large set of rows (every match of a query, to keep in order), as arrays: on
   * PostgreSQL planned without nested loops, which suit a few rows only (a table loaded moments
   * ago has statistics that say "a few rows" until it is analyzed: the matches of 2,541 runs took
   * 4-7 s that way, 27-80 ms without). Absent: {@link selectArrays}, or row objects.
   */
  selectAll?(q: CompiledQuery): Promise<{ names: string[]; rows: unknown[][] }>;
  /** The runs changed since a mark, for caches kept up to date run by run (absent: none). */
  runChanges?: RunChangeFeed;
  /**
   * Writes, inside a write transaction, the param leaves (`run_params`) of the runs keyed in
   * (from, to] whose params the database can flatten itself, and returns the others (their key
   * and params JSON) for the store to flatten. Absent: the store flattens every run's params.
   */
  paramLeaves?(tx: WriteTx, from: number, to: number): Promise<{ id: number; params: string }[]>;
  /**
   * A token that changes whenever the database may have changed (writes of this connection or
   * commits of others, in any process), for caches of counts and pages: a result computed by
   * reads sent after the token was read may be served again while the token is unchanged.
   * `null`: nothing may be kept now. Absent: nothing is cached. PostgreSQL: the snapshot's
   * text (dialects/postgres/change-token.ts); SQLite: dialects/sqlite/run-changes.ts.
   */
  changeToken?(): Promise<string | null>;
  /**
   * A select's rows streamed through a server-side cursor, `size` rows at a time, so that a long
   * listing holds one batch in memory (absent: listings read page by page on a keyset).
   */
  stream?<R = Record<string, unknown>>(q: CompiledQuery, size: number): AsyncIterable<R[]>;
  /**
   * Write transactions committed, statements sent and round trips (waits for the server) so
   * far, where the connection counts them (PostgreSQL's pipelined writes), for tests and benchmarks.
   */
  writeCounts?: { transactions: number; statements: number; roundTrips: number };
}

/** Where a database stands for {@link RunChangeFeed}. */
export interface RunChangeMark {
  /** The last change recorded (grows with every recorded change, by any connection). */
  seq: number;
  /** Changes after this one are still known (a mark below it can no longer be followed). */
  floor: number;
  /** The highest run key: runs created later have higher keys. */
  top: number;
  /**
   * The database's snapshot (PostgreSQL, whose feed reads changes by transaction: the other
   * figures are then 0); absent on SQLite.
   */
  snapshot?: string;
  /** `run_index.through`: runs whose keys it passes have their params and metrics indexed. */
  through: number;
}

/**
 * The runs changed since a mark, by this connection or any other: every write to an existing
 * run (its row, params, metrics, tags, derived values; deleting it) records the run's key in the
 * same transaction; new runs and runs newly indexed are found by key (SQLite) or recorded too
 * (PostgreSQL). See `sqliteRunChanges` and `postgresRunChanges`.
 */
export interface RunChangeFeed {
  /** Where the database stands now. */
  mark(): Promise<RunChangeMark>;
  /**
   * Keys of the runs that may have changed from `from` to `to` (deleted ones included), at most
   * `limit`; `null` when there are more, or when changes that old are no longer kept.
   */
  changedSince(from: RunChangeMark, to: RunChangeMark, limit: number): Promise<number[] | null>;
  /** Records, inside a write transaction, that runs existing before it changed. */
  record(tx: WriteTx, runKeys: readonly number[]): Promise<void>;
  /** {@link RunChangeFeed.record} as steps of a write transaction. */
  recordSteps(runKeys: readonly number[]): TxSteps<void>;
  /**
   * New runs are recorded too (PostgreSQL: keys are not committed in key order, so a new run
   * cannot be found by key); SQLite finds them by key.
   */
  recordsNewRuns?: boolean;
}
