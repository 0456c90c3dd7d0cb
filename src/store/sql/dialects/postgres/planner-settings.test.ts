import { type Kysely, sql } from "kysely";
import pg from "pg";
import { expect, it } from "vitest";
import type { Database } from "../../schema.js";
import { describePostgres, useTempStores } from "../../test-support/temp-store.js";
import { openPostgresStore } from "./open.js";
import { parsePostgresUri } from "./uri.js";

// The store's connections plan no parallel workers and compile no expressions unless the URI
// asks for them (`?parallel=on`, `?jit=on`): what its searches measured faster with (see
// PostgresTarget.parallel and PostgresTarget.jit).
const SETTINGS = { parallel: "max_parallel_workers_per_gather", jit: "jit" } as const;

async function setting(db: Kysely<Database>, name: string): Promise<string | undefined> {
  return (await sql<{ v: string }>`select current_setting(${name}) as v`.execute(db)).rows[0]?.v;
}

describePostgres("planner settings of the store's connections", () => {
  const fresh = useTempStores("planner", "postgres");

  it("turn off parallel workers and JIT by default, and keep the server's settings with ?parallel=on&jit=on", async () => {
    const t = await fresh();
    expect(await setting(t.store.ctx.db, SETTINGS.parallel)).toBe("0");
    expect(await setting(t.store.ctx.db, SETTINGS.jit)).toBe("off");
    const raw = new pg.Client(parsePostgresUri(t.uri).connectionString);
    await raw.connect();
    const server: Record<string, string> = {};
    try {
      for (const name of Object.values(SETTINGS))
        server[name] = (await raw.query(`show ${name}`)).rows[0]?.[name];
    } finally {
      await raw.end();
    }
    expect(server[SETTINGS.parallel]).not.toBe("0");
    expect(server[SETTINGS.jit]).toBe("on");
    const on = await openPostgresStore(`${t.uri}&parallel=on&jit=on`);
    try {
      for (const name of Object.values(SETTINGS)) expect(await setting(on.ctx.db, name)).toBe(server[name]);
    } finally {
      await on.close();
    }
  });

  it("read every match of a query without nested loops, and only that read", async () => {
    const t = await fresh();
    const q = sql<{ v: string }>`select current_setting('enable_nestloop') as v`.compile(t.store.ctx.db);
    expect(await t.store.ctx.selectAll!(q)).toEqual({ names: ["v"], rows: [["off"]] });
    expect(await setting(t.store.ctx.db, "enable_nestloop")).toBe("on");
  });
});
