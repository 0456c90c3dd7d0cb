/**
 * The store a benchmark fills: a new SQLite store in a temporary folder, or with `--store <uri>`
 * a PostgreSQL database (`postgres://...`; `--store postgres`: a throwaway cluster of the run), in a schema of its own made for the run and dropped
 * after it (so the database's other contents are neither read nor touched), or a new SQLite
 * folder at the path given.
 */
import { existsSync, readdirSync } from "node:fs";
import pg from "pg";
import { openPostgresStore } from "../../src/store/sql/dialects/postgres/open.js";
import type { PgCluster } from "../../src/store/sql/dialects/postgres/test-support/cluster.js";
import { openSqliteStore } from "../../src/store/sql/dialects/sqlite/open.js";
import type { SqlStore } from "../../src/store/sql/sql-store.js";
import { tempDir } from "../util.js";
import { durableCluster, THROWAWAY_CLUSTER } from "./stores.js";

/** The value of `--name value` on the command line, or `fallback`. */
export function option(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** Runs of a benchmark's store: `--runs N`, else `$BENCH_RUNS`, else `fallback`. */
export function benchRuns(fallback: number): number {
  return Number(option("runs") ?? process.env.BENCH_RUNS ?? fallback);
}

export interface BenchStore {
  dialect: "sqlite" | "postgres";
  /** What another process opens the same store with (`openStore`, `labbook --store`). */
  uri: string;
  /** The SQLite database file (for a baseline's own connection); SQLite only. */
  file?: string;
  store: SqlStore;
  /** Opens another handle of the same store (PostgreSQL: its own pool). */
  another(): Promise<SqlStore>;
  /** Closes the store and removes what the benchmark made (the folder, or the schema). */
  remove(): Promise<void>;
}

/**
 * Opens the benchmark's store (see the file's comment), empty.
 *
 * @example
 * const b = await benchStore("search"); // --store postgres://u@127.0.0.1:5432/lab: schema bench_search_<pid>
 */
export async function benchStore(label: string): Promise<BenchStore> {
  let given = option("store");
  // `--store postgres`: a throwaway cluster of this run, with the durable settings.
  let cluster: PgCluster | null = null;
  if (given !== undefined && THROWAWAY_CLUSTER.has(given)) {
    cluster = await durableCluster();
    if (!cluster)
      throw new Error("--store postgres: no PostgreSQL server binaries found; give --store postgres://...");
    given = `${cluster.url}/postgres`;
  }
  if (given && /^postgres(ql)?:\/\//.test(given)) {
    const schema = `bench_${label}_${process.pid}`;
    const url = new URL(given);
    url.searchParams.set("schema", schema);
    const uri = url.toString();
    const store = await openPostgresStore(uri);
    return {
      dialect: "postgres",
      uri,
      store,
      another: () => openPostgresStore(uri),
      async remove() {
        await store.close();
        url.searchParams.delete("schema");
        url.searchParams.delete("pool");
        const client = new pg.Client(url.toString());
        await client.connect();
        try {
          await client.query(`drop schema if exists ${schema} cascade`);
        } finally {
          await client.end();
          await cluster?.stop();
        }
      },
    };
  }
  if (given && existsSync(given) && readdirSync(given).length > 0) {
    throw new Error(`--store ${given}: the benchmark fills a new store; give an empty or new folder`);
  }
  const t = given ? { dir: given, remove: () => undefined } : tempDir(label);
  const store = await openSqliteStore(t.dir);
  return {
    dialect: "sqlite",
    uri: t.dir,
    file: `${t.dir}/labbook.db`,
    store,
    another: () => openSqliteStore(t.dir),
    async remove() {
      await store.close();
      t.remove();
    },
  };
}
