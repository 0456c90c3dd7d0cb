import { spawn } from "node:child_process";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { expect, it } from "vitest";
import { LabbookError } from "../../../../core/errors.js";
import { MIGRATIONS, SCHEMA_VERSION } from "../../migrations/migrations.js";
import { describePostgres, pgTestDatabase } from "../../test-support/temp-store.js";
import { openPostgres } from "./connect.js";
import { postgresDialect } from "./dialect.js";
import { openPostgresStore } from "./open.js";

const script = join(import.meta.dirname, "..", "..", "test-support", "open-once.ts");

function openOnce(uri: string) {
  const p = spawn(process.execPath, ["--import", "tsx", script, uri], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  p.stdout.on("data", (d) => {
    out += d;
  });
  p.stderr.on("data", (d) => {
    err += d;
  });
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    p.on("exit", (code) => resolve({ code, out, err })),
  );
}

let schemas = 0;
async function freshSchemaUri(): Promise<string> {
  return `${await pgTestDatabase()}?schema=mig_${process.pid}_${++schemas}`;
}

async function tables(uri: string): Promise<string[]> {
  const schema = new URL(uri).searchParams.get("schema")!;
  const client = new pg.Client(uri.replace(/\?.*$/, ""));
  await client.connect();
  try {
    const { rows } = await client.query(
      "select table_name from information_schema.tables where table_schema = $1 order by table_name",
      [schema],
    );
    return rows.map((r) => r.table_name as string);
  } finally {
    await client.end();
  }
}

describePostgres("schema migrations under an advisory lock", () => {
  it("8 processes opening one new database at the same moment: one schema, no error", async () => {
    const uri = await freshSchemaUri();
    const ends = await Promise.all(Array.from({ length: 8 }, () => openOnce(uri)));
    expect(ends.map((e) => e.err)).toEqual(Array(8).fill(""));
    expect(ends.map((e) => e.code)).toEqual(Array(8).fill(0));
    expect(ends.map((e) => e.out.trim())).toEqual(Array(8).fill(String(SCHEMA_VERSION)));
    const names = await tables(uri);
    expect(names).toContain("runs");
    expect(names.filter((n) => n === "labbook_meta")).toHaveLength(1);
  }, 300_000);

  it("an older schema is upgraded in place, its runs kept", async () => {
    const uri = await freshSchemaUri();
    // A database left at version 8 by an older labbook, with a run in it.
    const old = openPostgres({
      connectionString: uri.replace(/\?.*$/, ""),
      schema: new URL(uri).searchParams.get("schema")!,
      poolSize: 2,
      pipeline: true,
    });
    try {
      await sql.raw(`create schema ${new URL(uri).searchParams.get("schema")}`).execute(old.db);
      await old.db.transaction().execute(async (trx) => {
        await sql`create table labbook_meta (key text primary key, value text not null)`.execute(trx);
        for (const m of MIGRATIONS.filter((m) => m.version <= 8)) await m.up(trx, postgresDialect);
        await sql`insert into labbook_meta (key, value) values ('schema_version', '8')`.execute(trx);
      });
    } finally {
      await old.close();
    }
    const store = await openPostgresStore(uri);
    try {
      const run = await store.startRun({ experiment: "kept", params: { lr: 0.5 } });
      await run.finish();
      const { rows } = await sql<{
        value: string;
      }>`select value from labbook_meta where key = 'schema_version'`.execute(store.ctx.db);
      expect(rows[0]!.value).toBe(String(SCHEMA_VERSION));
      const page = await store.searchRuns({ filter: "params.lr > 0.1" });
      expect(page.data.map((r) => r.runId)).toEqual([run.runId]);
    } finally {
      await store.close();
    }
  });

  it("a store of schema 14 upgrades to the change log by transaction: its searches follow other handles' writes", async () => {
    const uri = await freshSchemaUri();
    const first = await openPostgresStore(uri);
    const ids: string[] = [];
    for (const acc of [0.2, 0.6, 0.9]) {
      const run = await first.startRun({ experiment: "up", params: { acc } });
      await run.logMetrics({ acc });
      await run.finish();
      ids.push(run.runId);
    }
    // As schema 14 left it: no run change log (SQLite's log, migration 11, is not PostgreSQL's).
    await sql`drop table run_changes`.execute(first.ctx.db);
    await sql`drop table run_changes_floor`.execute(first.ctx.db);
    await sql`update labbook_meta set value = '14' where key = 'schema_version'`.execute(first.ctx.db);
    await first.close();
    const store = await openPostgresStore(uri); // migrates to 15
    const other = await openPostgresStore(uri);
    try {
      expect(await tables(uri)).toEqual(expect.arrayContaining(["run_changes", "run_changes_floor"]));
      const query = { filter: "metrics.acc > 0.5", sort: "-metrics.acc", pageSize: 10 } as const;
      const ranked = async () => (await store.searchRuns(query)).data.map((r) => r.runId);
      expect(await ranked()).toEqual([ids[2], ids[1]]);
      expect(await ranked()).toEqual([ids[2], ids[1]]); // the matches kept under the snapshot
      const feed = store.ctx.runChanges!;
      const before = await feed.mark();
      const added = await other.startRun({ experiment: "up", params: { acc: 0.7 } });
      await added.logMetrics({ acc: 0.7 });
      await added.finish();
      await other.deleteRun(ids[2]!);
      const changed = await feed.changedSince(before, await feed.mark(), 10);
      expect(new Set(changed)).toHaveProperty("size", 2); // the new run and the deleted one
      expect(await ranked()).toEqual([added.runId, ids[1]]);
      expect((await store.searchRuns(query)).pagination.totalResults).toBe(2);
    } finally {
      await other.close();
      await store.close();
    }
  });

  it("a database written by a newer labbook is refused with a clear error", async () => {
    const uri = await freshSchemaUri();
    const first = await openPostgresStore(uri);
    await sql`update labbook_meta set value = ${String(SCHEMA_VERSION + 3)} where key = 'schema_version'`.execute(
      first.ctx.db,
    );
    await first.close();
    const err = await openPostgresStore(uri).catch((e) => e);
    expect(err).toBeInstanceOf(LabbookError);
    expect(err.code).toBe("UNSUPPORTED_VERSION");
    expect(err.message).toMatch(
      new RegExp(`schema version ${SCHEMA_VERSION + 3}.*newer labbook.*Upgrade labbook`),
    );
    expect(err.message).not.toMatch(/password/);
  });
});
