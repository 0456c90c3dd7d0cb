import { sql } from "kysely";
import pg from "pg";
import { expect, it } from "vitest";
import { describePostgres, useTempStores } from "../../test-support/temp-store.js";
import { openPostgresStore } from "./open.js";
import { parsePostgresUri } from "./uri.js";

// The store's connections plan no parallel workers unless the URI asks for them (`?parallel=on`):
// what its searches measured faster with (see PostgresTarget.parallel).
describePostgres("parallel workers", () => {
  const fresh = useTempStores("parallel", "postgres");

  it("are off on the store's connections by default, and the server's setting with ?parallel=on", async () => {
    const t = await fresh();
    const setting = async (db: typeof t.store.ctx.db) =>
      (await sql<{ v: string }>`select current_setting('max_parallel_workers_per_gather') as v`.execute(db))
        .rows[0]?.v;
    expect(await setting(t.store.ctx.db)).toBe("0");
    const on = await openPostgresStore(`${t.uri}&parallel=on`);
    try {
      const raw = new pg.Client(parsePostgresUri(t.uri).connectionString);
      await raw.connect();
      const server = (await raw.query("show max_parallel_workers_per_gather")).rows[0]
        ?.max_parallel_workers_per_gather;
      await raw.end();
      expect(server).not.toBe("0");
      expect(await setting(on.ctx.db)).toBe(server);
      expect(on.uri).toMatch(/parallel=on/);
    } finally {
      await on.close();
    }
  });
});
