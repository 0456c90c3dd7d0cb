import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { LabbookError } from "../../../core/errors.js";
import { openSqliteStore } from "../dialects/sqlite/open.js";
import { SCHEMA_VERSION } from "./migrations.js";

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "labbook-mig-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("schema versions", () => {
  it("records the schema version, in WAL mode, and reopens without migrating twice", async () => {
    const dir = tmp();
    const s1 = await openSqliteStore(dir);
    const r = await s1.startRun({ experiment: "m" });
    await r.finish();
    await s1.close();
    const raw = new BetterSqlite3(join(dir, "labbook.db"));
    expect(raw.prepare("select value from labbook_meta where key = 'schema_version'").get()).toEqual({
      value: String(SCHEMA_VERSION),
    });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
    const s2 = await openSqliteStore(dir);
    expect((await s2.listRuns()).length).toBe(1);
    await s2.close();
  });

  it("refuses a store written by a newer labbook with a clear message", async () => {
    const dir = tmp();
    await (await openSqliteStore(dir)).close();
    const raw = new BetterSqlite3(join(dir, "labbook.db"));
    raw
      .prepare("update labbook_meta set value = ? where key = 'schema_version'")
      .run(String(SCHEMA_VERSION + 5));
    raw.close();
    const err = await openSqliteStore(dir).catch((e) => e);
    expect(err).toBeInstanceOf(LabbookError);
    expect(err.code).toBe("UNSUPPORTED_VERSION");
    expect(err.message).toMatch(
      new RegExp(`schema version ${SCHEMA_VERSION + 5}.*newer labbook.*Upgrade labbook`),
    );
  });

  it("migration 10 renames the rows column of an older store (a NUL name) and keeps its rows", async () => {
    const dir = tmp();
    const s1 = await openSqliteStore(dir);
    const run = await s1.startRun({ experiment: "m" });
    await run.logRows([0, 1, 2].map((i) => ({ datapointId: `d${i}`, scores: { em: i % 2 } })));
    await run.finish();
    await s1.close();
    const raw = new BetterSqlite3(join(dir, "labbook.db"));
    raw
      .prepare("update score_chunks set name = char(0) || 'row_ids' where name = char(1) || 'row_ids'")
      .run();
    raw.prepare("update labbook_meta set value = '9' where key = 'schema_version'").run();
    raw.close();
    const s2 = await openSqliteStore(dir);
    try {
      expect((await s2.aggregateScores(run.runId)).rows).toBe(3);
      const names = await s2.ctx.db.selectFrom("score_chunks").select("name").orderBy("name").execute();
      expect(names.map((n) => n.name)).toEqual(["\u0001row_ids", "em"]);
    } finally {
      await s2.close();
    }
  });
});
