import BetterSqlite3 from "better-sqlite3";
import type { CompiledQuery as Compiled } from "kysely";
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
} from "kysely";
import type { Database } from "../../schema.js";
import { driveStepsSync, type TxSteps, type WriteTx } from "../../write-tx.js";

/**
 * The one connection's lock, shared by Kysely's driver and the store's own write transactions
 * (which run their statements on better-sqlite3 directly): taken at once, without a promise,
 * when it is free.
 */
class ConnectionLock {
  #held = false;
  readonly #waiters: (() => void)[] = [];
  /** `undefined` when taken at once; otherwise a promise resolved when it is this caller's. */
  lock(): Promise<void> | undefined {
    if (!this.#held) {
      this.#held = true;
      return undefined;
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  unlock(): void {
    const next = this.#waiters.shift();
    if (next)
      next(); // the lock passes to the next waiter as it is
    else this.#held = false;
  }
}

/** A driver whose write transactions take the write lock at once (`BEGIN IMMEDIATE`), so
 * concurrent writers in other processes wait on the busy timeout instead of failing. */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #lock: ConnectionLock;
  constructor(database: SqliteDatabase, lock: ConnectionLock) {
    super({ database });
    this.#lock = lock;
  }
  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.lock();
    return super.acquireConnection(); // Kysely's own mutex: always free behind ours
  }
  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    this.#lock.unlock();
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  readonly #lock: ConnectionLock;
  constructor(database: SqliteDatabase, lock: ConnectionLock) {
    super({ database });
    this.#database = database;
    this.#lock = lock;
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.#database, this.#lock);
  }
}

/** Wraps better-sqlite3 with a prepared-statement cache keyed by SQL text. */
function cachingDatabase(raw: BetterSqlite3.Database, size = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit && !hit.busy) return hit as never;
      const stmt = raw.prepare(sql);
      if (!hit) {
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      return stmt as never;
    },
  };
}

/** The page size of a new store's database. */
export const SQLITE_PAGE_SIZE = 2048;
/** WAL pages written before a commit checkpoints them into the database (~64 MB of 2 kB pages). */
export const WAL_AUTOCHECKPOINT_PAGES = 32_768;

export interface SqliteHandle {
  db: Kysely<Database>;
  raw: BetterSqlite3.Database;
  /** One write transaction (`BEGIN IMMEDIATE`) whose statements run straight on the driver. */
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>;
  /** A transaction of steps, run with its commit in one synchronous turn once the connection is free. */
  writeSteps<T>(steps: () => TxSteps<T>, onCommit?: (value: T) => void): Promise<T>;
  /** A transaction of steps run now, synchronously (process exit): see `SqlContext.writeStepsNow`. */
  writeStepsNow<T>(steps: () => TxSteps<T>): T;
  /** A select's rows as arrays in column order (no object per row), with the column names. */
  selectArrays(q: Compiled): Promise<{ names: string[]; rows: unknown[][] }>;
}

/**
 * Opens a SQLite database file in WAL mode with a busy timeout, for many readers and
 * writers across processes.
 */
export function openSqlite(
  file: string,
  options: { busyTimeoutMs?: number; readonly?: boolean } = {},
): SqliteHandle {
  const raw = new BetterSqlite3(file, { readonly: options.readonly ?? false });
  // For a new database only. Each commit of a run writes ~18 pages to the WAL (run, params,
  // metrics and their indexes); most of the cost is per page written (two writes each), and
  // appends into index b-trees split pages at half, so 2 kB pages (fewer splits) beat 1 kB.
  if (!options.readonly) raw.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
  raw.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 30_000}`);
  if (!options.readonly) {
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    // Checkpoint less often: many small commits (one per run) rewrite the same pages, and a
    // checkpoint copies each page once and syncs twice; the WAL stays under ~64 MB.
    raw.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  }
  raw.pragma("foreign_keys = OFF");
  raw.pragma("temp_store = MEMORY");
  // 32 MiB of pages per connection: searches kept the same speed as with 64 MiB, and a
  // streamed export of 1,000,000 rows stays well within 300 MB of RSS (the cache fills during it).
  raw.pragma("cache_size = -32768");
  const cached = cachingDatabase(raw);
  const lock = new ConnectionLock();
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(cached, lock) });
  /** Runs `fn` holding the connection, so that no other query lands inside its transaction. */
  const holding = async <T>(fn: () => Promise<T>): Promise<T> => {
    const wait = lock.lock();
    if (wait) await wait;
    try {
      return await fn();
    } finally {
      lock.unlock();
    }
  };
  /** One statement, synchronously: its rows for a select (or `returning`), none otherwise. */
  const run = (q: Compiled): unknown[] => {
    const stmt = cached.prepare(q.sql) as unknown as BetterSqlite3.Statement;
    if (stmt.reader) return stmt.all(q.parameters as unknown[]);
    stmt.run(q.parameters as unknown[]);
    return [];
  };
  const tx: WriteTx = {
    async query<R>(q: Compiled) {
      return run(q) as R[];
    },
  };
  // Holding the connection keeps Kysely's other queries out of this transaction.
  const exec = (sql: string) => (cached.prepare(sql) as unknown as BetterSqlite3.Statement).run();
  const write = <T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> =>
    holding(async () => {
      exec("begin immediate");
      try {
        const result = await fn(tx);
        exec("commit");
        return result;
      } catch (e) {
        if (raw.inTransaction) exec("rollback");
        throw e;
      }
    });
  /** Steps and commit in one synchronous turn: no other code runs inside the transaction. */
  const transact = <T>(steps: () => TxSteps<T>): T => {
    exec("begin immediate");
    try {
      const value = driveStepsSync(steps(), run);
      exec("commit");
      return value;
    } catch (e) {
      if (raw.inTransaction) exec("rollback");
      throw e;
    }
  };
  const writeSteps = <T>(steps: () => TxSteps<T>, onCommit?: (value: T) => void): Promise<T> => {
    const now = (): T => {
      try {
        const value = transact(steps);
        onCommit?.(value);
        return value;
      } finally {
        lock.unlock();
      }
    };
    const wait = lock.lock();
    if (!wait) {
      try {
        return Promise.resolve(now());
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return wait.then(now);
  };
  const writeStepsNow = <T>(steps: () => TxSteps<T>): T => {
    if (raw.inTransaction) exec("rollback");
    return transact(steps);
  };
  // Rows as arrays: better-sqlite3 then builds no object per row (a fifth of a large page's cost).
  const names = new WeakMap<BetterSqlite3.Statement, string[]>();
  const selectArrays = (q: Compiled) =>
    holding(async () => {
      const stmt = cached.prepare(q.sql) as unknown as BetterSqlite3.Statement;
      let cols = names.get(stmt);
      if (!cols) {
        cols = stmt.columns().map((c) => c.name);
        names.set(stmt, cols);
      }
      stmt.raw(true);
      try {
        return { names: cols, rows: stmt.all(q.parameters as unknown[]) as unknown[][] };
      } finally {
        stmt.raw(false);
      }
    });
  return { db, raw, write, writeSteps, writeStepsNow, selectArrays };
}
