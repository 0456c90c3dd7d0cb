/**
 * vitest global setup: starts one throwaway PostgreSQL cluster for the whole test run (stopped
 * at the end) and hands its URL to the tests (`inject("labbookPg")`). Without server binaries
 * the PostgreSQL tests skip, and this prints one line saying why; under CI (`$CI`) a cluster that
 * cannot start fails the run.
 */
import type { TestProject } from "vitest/node";
import { type PgCluster, pgBinaries, startPgCluster } from "./cluster.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The test cluster's URL without a database, or `null` with `labbookPgSkip` saying why. */
    labbookPg: string | null;
    labbookPgSkip: string;
  }
}

let cluster: PgCluster | null = null;

export async function setup(project: TestProject): Promise<void> {
  const bin = pgBinaries();
  let skip = "";
  if (!bin) {
    skip = "no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql or $LABBOOK_PG_BIN";
  } else {
    try {
      cluster = await startPgCluster(bin);
    } catch (e) {
      skip = `the PostgreSQL test cluster did not start: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  if (skip) {
    if (process.env.CI) throw new Error(`PostgreSQL tests cannot run under CI: ${skip}`);
    console.log(`PostgreSQL tests skipped: ${skip} (install the postgresql package to run them)`);
  }
  project.provide("labbookPg", cluster?.url ?? null);
  project.provide("labbookPgSkip", skip);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
  cluster = null;
}
