/**
 * The stores a benchmark runs its workload on: the embedded SQLite store always (the baseline of
 * the run), and PostgreSQL beside it when asked with `--store postgres://...` (a database the
 * benchmark may fill with schemas of its own) or `--store postgres` (a throwaway PostgreSQL
 * cluster of this run, with durable settings, when the server binaries are installed).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  type PgCluster,
  pgBinaries,
  startPgCluster,
} from "../../src/store/sql/dialects/postgres/test-support/cluster.js";

/** The value of `--name value` on the command line, or `fallback`. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

export interface BenchTarget {
  /** `sqlite` or `postgres`. */
  name: "sqlite" | "postgres";
  /** What the printed figures are headed with. */
  label: string;
  /** A new, empty store's URI (a folder, or a schema of the database), removed by `stop()`. */
  uri(label: string): Promise<string>;
}

let schemas = 0;

/** `--store` values that ask for a throwaway PostgreSQL cluster of the run. */
export const THROWAWAY_CLUSTER: ReadonlySet<string> = new Set(["postgres", "postgresql"]);

/**
 * A throwaway PostgreSQL cluster with the benchmarks' durable settings (fsync, synchronous
 * commit, full page writes), or null when the server binaries are not installed.
 *
 * @example
 * const cluster = await durableCluster(); // cluster?.url: "postgres://postgres@127.0.0.1:41234"
 */
export async function durableCluster(): Promise<PgCluster | null> {
  const bin = pgBinaries();
  if (!bin) return null;
  return startPgCluster(bin, { settings: { fsync: "on", synchronous_commit: "on", full_page_writes: "on" } });
}

/**
 * The targets of this run: SQLite, then PostgreSQL when `--store` names it. `stop()` removes
 * the folders and stops the cluster.
 *
 * @example
 * const stores = await benchStores();
 * for (const t of stores) { const store = await openStore(await t.uri("x")); ... }
 * await stores.stop();
 */
export async function benchStores(): Promise<BenchTarget[] & { stop(): Promise<void> }> {
  const dirs: string[] = [];
  const targets: BenchTarget[] = [
    {
      name: "sqlite",
      label: "SQLite (embedded)",
      async uri(label) {
        const dir = mkdtempSync(join(tmpdir(), `labbook-bench-${label}-`));
        dirs.push(dir);
        return dir;
      },
    },
  ];
  let uri = option("store", "");
  let stopCluster: (() => Promise<void>) | null = null;
  if (THROWAWAY_CLUSTER.has(uri)) {
    const cluster = await durableCluster();
    if (!cluster) {
      console.log(
        "--store postgres: no PostgreSQL server binaries (initdb, pg_ctl); PostgreSQL figures skipped",
      );
      uri = "";
    } else {
      stopCluster = () => cluster.stop();
      uri = `${cluster.url}/postgres`;
    }
  } else if (uri && !/^postgres(ql)?:\/\//.test(uri)) {
    throw new Error(`--store must be postgres://... or postgres (a throwaway cluster), not ${uri}`);
  }
  const made: string[] = [];
  if (uri) {
    const base = uri;
    targets.push({
      name: "postgres",
      label: `PostgreSQL (${base.replace(/:[^:@/]*@/, ":***@")})`,
      async uri(label) {
        const schema = `bench_${label.replace(/\W/g, "_")}_${process.pid}_${++schemas}`;
        made.push(schema);
        return `${base}${base.includes("?") ? "&" : "?"}schema=${schema}`;
      },
    });
  }
  return Object.assign(targets, {
    async stop() {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
      if (made.length > 0 && !stopCluster) {
        // The schemas this run made in a database it was given.
        const client = new pg.Client(uri.replace(/\?.*$/, ""));
        await client.connect();
        for (const s of made) await client.query(`drop schema if exists ${s} cascade`);
        await client.end();
      }
      await stopCluster?.();
    },
  });
}
