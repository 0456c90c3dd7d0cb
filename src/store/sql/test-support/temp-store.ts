import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, inject } from "vitest";
import { openPostgresStore } from "../dialects/postgres/open.js";
import { openSqliteStore } from "../dialects/sqlite/open.js";
import type { SqlStore } from "../sql-store.js";

/** The SQL dialects every parametrized store test runs on. */
export const DIALECTS = ["sqlite", "postgres"] as const;
export type DialectName = (typeof DIALECTS)[number];

/**
 * Time for a generated-query property test (thousands of searches): a PostgreSQL search is a
 * few round trips to a server process, each slower than a SQLite call on a busy machine.
 */
export const PROPERTY_TIMEOUT_MS: Record<DialectName, number> = { sqlite: 60_000, postgres: 240_000 };

/**
 * Generated data sets of a property test (each searched with 60 generated queries in both
 * syntaxes): fewer on PostgreSQL, whose searches cost round trips to a server process, so that
 * the run fits its time on a busy 2-core machine (still over a thousand compared searches).
 */
export const PROPERTY_RUNS: Record<DialectName, number> = { sqlite: 25, postgres: 10 };

/** A temporary store of one dialect, for tests: `close()` closes it and removes what it made. */
export interface TempStore {
  dialect: DialectName;
  /** The URI or folder another process opens the same store with. */
  uri: string;
  /** The store's folder (SQLite) or its temporary folder (PostgreSQL). */
  dir(): string;
  /** Where artifacts go: a temporary folder (both dialects), or the `s3://` URI asked for. */
  artifacts: string;
  store: SqlStore;
  /** Another store handle (its own connections) over the same store, closed with the first. */
  another(): Promise<SqlStore>;
  /** Closes every handle (closing twice is fine) and removes the store. */
  close(): Promise<void>;
}

/**
 * The URL of this run's PostgreSQL test cluster (no database), or `null` when PostgreSQL tests
 * skip (`pgSkipReason()` says why).
 *
 * @example
 * const url = pgClusterUrl(); // "postgres://postgres@127.0.0.1:41234"
 */
export function pgClusterUrl(): string | null {
  return inject("labbookPg") ?? null;
}

/** Why PostgreSQL tests skip in this run ("" when they run). */
export function pgSkipReason(): string {
  return inject("labbookPgSkip") ?? "";
}

let database: Promise<string> | null = null;
let schemas = 0;

/**
 * A database of this test file (one per file: created on first use), as a URL.
 *
 * @example
 * const url = await pgTestDatabase(); // "postgres://postgres@127.0.0.1:41234/lb_3f2a..."
 */
export function pgTestDatabase(): Promise<string> {
  const server = pgClusterUrl();
  if (!server) throw new Error(`PostgreSQL tests skip: ${pgSkipReason()}`);
  database ??= createPgDatabase(server, "lb");
  return database;
}

/**
 * A new database named `<prefix>_<pid>_<random>` on the PostgreSQL server at `server`
 * (`postgres://user@host:port`), as a URL.
 *
 * @example
 * const url = await createPgDatabase(pgClusterUrl()!, "mlflow");
 */
export async function createPgDatabase(server: string, prefix: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client(`${server}/postgres`);
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return `${server}/${name}`;
}

async function openOf(dialect: DialectName, uri: string, artifacts: string): Promise<SqlStore> {
  if (dialect === "postgres") return openPostgresStore(uri, { artifacts: artifactsUri(artifacts) });
  return /^s3:/.test(artifacts) ? openSqliteStore(uri, { artifacts }) : openSqliteStore(uri);
}

function artifactsUri(artifacts: string): string {
  return /^s3:/.test(artifacts) ? artifacts : `file:${artifacts}`;
}

/**
 * Opens an empty store of a dialect: SQLite in a new temporary folder, PostgreSQL in a new
 * schema of this test file's database; artifacts in a temporary folder, or where
 * `options.artifacts` (an `s3://` URI) says.
 *
 * @example
 * const t = await tempStore("run-index", "postgres");
 * try { await t.store.startRun({ experiment: "x" }); } finally { await t.close(); }
 */
export async function tempStore(
  label: string,
  dialect: DialectName = "sqlite",
  options: { artifacts?: string } = {},
): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), `labbook-${label}-`));
  const uri =
    dialect === "sqlite" ? dir : `${await pgTestDatabase()}?schema=${label.replace(/\W/g, "_")}_${++schemas}`;
  const artifacts = options.artifacts ?? (dialect === "sqlite" ? join(dir, "artifacts") : dir);
  const store = await openOf(dialect, uri, artifacts);
  const others: SqlStore[] = [];
  return {
    dialect,
    uri,
    dir: () => dir,
    artifacts,
    store,
    async another() {
      const other = await openOf(dialect, uri, artifacts);
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
 * For a test file: returns a `fresh()` that opens a {@link tempStore} of the dialect per call,
 * and registers an `afterEach` that closes (and removes) every store opened during the test.
 *
 * @example
 * const fresh = useTempStores("cols", "postgres");
 * it("logs rows", async () => {
 *   const { store } = await fresh();
 *   await store.startRun({ experiment: "x" });
 * });
 */
export function useTempStores(
  label: string,
  dialect: DialectName = "sqlite",
): (options?: { artifacts?: string }) => Promise<TempStore> {
  const open: TempStore[] = [];
  afterEach(async () => {
    for (const t of open.splice(0)) await t.close();
  });
  return async (options = {}) => {
    const t = await tempStore(label, dialect, options);
    open.push(t);
    return t;
  };
}

/**
 * Declares the same tests once per SQL dialect (`describe` named `<name> (sqlite)`, `<name>
 * (postgres)`); the PostgreSQL block skips, saying why, when the run has no PostgreSQL.
 *
 * @example
 * describeDialects("aggregates", (dialect) => {
 *   const fresh = useTempStores("agg", dialect);
 *   it("counts rows", async () => { ... });
 * });
 */
export function describeDialects(name: string, body: (dialect: DialectName) => void): void {
  for (const dialect of DIALECTS) {
    const skip = dialect === "postgres" && !pgClusterUrl();
    if (skip) describe.skip(`${name} (postgres: skipped, ${pgSkipReason()})`, () => body(dialect));
    else describe(`${name} (${dialect})`, () => body(dialect));
  }
}

/**
 * Declares tests that need PostgreSQL itself (its locks, its server): skipped, saying why, when
 * the run has no PostgreSQL.
 *
 * @example
 * describePostgres("advisory locks", () => { it("...", async () => { ... }); });
 */
export function describePostgres(name: string, body: () => void): void {
  if (pgClusterUrl()) describe(`${name} (postgres)`, body);
  else describe.skip(`${name} (postgres: skipped, ${pgSkipReason()})`, body);
}
