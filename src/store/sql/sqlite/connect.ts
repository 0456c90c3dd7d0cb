import BetterSqlite3 from "better-sqlite3";
import { type DatabaseConnection, Kysely, SqliteDialect, SqliteDriver, type SqliteDatabase } from "kysely";
import { CompiledQuery } from "kysely";
import type { Database } from "../schema.js";

/** A driver whose write transactions take the write lock at once (`BEGIN IMMEDIATE`), so
 * concurrent writers in other processes wait on the busy timeout instead of failing. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  constructor(database: SqliteDatabase) {
    super({ database });
    this.#database = database;
  }
  override createDriver() {
    return new ImmediateSqliteDriver({ database: this.#database });
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

export interface SqliteHandle {
  db: Kysely<Database>;
  raw: BetterSqlite3.Database;
}

/**
 * Opens a SQLite database file in WAL mode with a busy timeout, for many readers and
 * writers across processes.
 */
export function openSqlite(file: string, options: { busyTimeoutMs?: number; readonly?: boolean } = {}): SqliteHandle {
  const raw = new BetterSqlite3(file, { readonly: options.readonly ?? false });
  // Small pages: each commit of a run writes a dozen index pages to the WAL, so smaller is faster.
  if (!options.readonly) raw.pragma("page_size = 1024");
  raw.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 30_000}`);
  if (!options.readonly) {
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    // Checkpoint less often: many small commits (one per run) then cost fewer page copies.
    raw.pragma("wal_autocheckpoint = 10000");
  }
  raw.pragma("foreign_keys = OFF");
  raw.pragma("temp_store = MEMORY");
  raw.pragma("cache_size = -65536");
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(cachingDatabase(raw)) });
  return { db, raw };
}
