import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
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

/** A store as it was before migration 13: no field summaries, no status index. */
function undoFieldSummaries(raw: BetterSqlite3.Database): void {
  raw.prepare("drop table field_summaries").run();
  raw.prepare("drop table field_values").run();
  raw.prepare("drop index runs_ws_exp_status").run();
}

/** A store as it was before migration 12: its series points indexed by (run_pk, name, step). */
function undoSeriesPoints(raw: BetterSqlite3.Database): void {
  undoFieldSummaries(raw);
  raw.prepare("drop index metric_series_points").run();
  raw.prepare("create index metric_series_run on metric_series (run_pk, name, step)").run();
}

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
    raw.prepare("drop table run_changes").run(); // migration 11's, which a store of schema 9 lacks
    undoSeriesPoints(raw);
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

  it("migration 12 indexes the series points whole: series and downsamplings read the same after it", async () => {
    const dir = tmp();
    const s1 = await openSqliteStore(dir);
    const run = await s1.startRun({ experiment: "m" });
    for (let step = 0; step < 500; step++)
      void run.logMetric("loss", step % 7 === 0 ? Number.NaN : 1 / (step + 1), { step });
    await run.finish();
    const series = await s1.getSeries(run.runId, "loss");
    const cut = await s1.downsampleSeries(run.runId, "loss", { maxPoints: 20 });
    await s1.close();
    const raw = new BetterSqlite3(join(dir, "labbook.db"));
    undoSeriesPoints(raw);
    raw.prepare("update labbook_meta set value = '11' where key = 'schema_version'").run();
    raw.close();
    const s2 = await openSqliteStore(dir);
    try {
      expect(await s2.getSeries(run.runId, "loss")).toEqual(series);
      expect(await s2.downsampleSeries(run.runId, "loss", { maxPoints: 20 })).toEqual(cut);
      const { rows } = await sql<{ name: string }>`select name from sqlite_master
        where type = 'index' and tbl_name = 'metric_series'`.execute(s2.ctx.db);
      expect(rows.map((r) => r.name)).toEqual(["metric_series_points"]);
    } finally {
      await s2.close();
    }
  });

  it("migration 13 fills the field summaries of the runs stored: the field catalog reads the same after it", async () => {
    const dir = tmp();
    const s1 = await openSqliteStore(dir);
    for (let i = 0; i < 130; i++) {
      const run = await s1.startRun({
        experiment: i % 3 ? "m:1.0.0" : "m:2.0.0",
        params: { lr: i / 10, opt: { name: i % 2 ? "adam" : "sgd" } },
        tags: i % 4 ? { stage: "dev" } : {},
      });
      await run.logMetrics({ acc: i % 5 === 0 ? Number.NaN : i / 130 });
      await s1.setDerived(run.runId, { best: i % 2 === 0 });
      if (i % 2) await run.finish();
      else await run.fail(new Error("stopped"));
    }
    const catalogs = [await s1.fieldCatalog(), await s1.fieldCatalog({ experiment: "m:2.0.0" })];
    await s1.close();
    const raw = new BetterSqlite3(join(dir, "labbook.db"));
    undoFieldSummaries(raw);
    raw.prepare("update labbook_meta set value = '12' where key = 'schema_version'").run();
    raw.close();
    const s2 = await openSqliteStore(dir);
    try {
      expect([await s2.fieldCatalog(), await s2.fieldCatalog({ experiment: "m:2.0.0" })]).toEqual(catalogs);
      expect(catalogs[0]!.find((f) => f.field === "params.lr")).toMatchObject({
        count: 130,
        valuesTruncated: true,
        min: 0,
        max: 12.9,
      });
    } finally {
      await s2.close();
    }
  });

  it("migration 14 keeps the field summaries, as slot 0: the field catalog reads the same after it", async () => {
    const dir = tmp();
    const s1 = await openSqliteStore(dir);
    for (let i = 0; i < 40; i++) {
      const run = await s1.startRun({
        experiment: "m:1.0.0",
        params: { lr: i / 10 },
        tags: { stage: "dev" },
      });
      await run.logMetrics({ acc: i / 40 });
      await run.finish();
    }
    await s1.searchRuns({ filter: "params.lr > 0" }); // the run index (and so the summaries) reaches every run
    const catalog = await s1.fieldCatalog();
    await s1.close();
    const raw = new BetterSqlite3(join(dir, "labbook.db"));
    // field_summaries as migration 13 made it: no slot in its key.
    raw.exec(`create table old_summaries (workspace text not null, experiment_name text not null,
      experiment_version text not null, field text not null, type text not null, runs bigint not null,
      num_min real, num_max real, text_min text, text_max text,
      constraint field_summaries_pk primary key (workspace, experiment_name, experiment_version, field, type)) without rowid;
      insert into old_summaries select workspace, experiment_name, experiment_version, field, type, sum(runs),
      min(num_min), max(num_max), min(text_min), max(text_max) from field_summaries
      group by workspace, experiment_name, experiment_version, field, type;
      drop table field_summaries;
      alter table old_summaries rename to field_summaries;
      update labbook_meta set value = '13' where key = 'schema_version';`);
    raw.close();
    const s2 = await openSqliteStore(dir);
    try {
      expect(await s2.fieldCatalog()).toEqual(catalog);
      const { rows } = await sql<{ slot: number; n: number }>`select slot, count(*) as n from field_summaries
        group by slot`.execute(s2.ctx.db);
      expect(rows.map((r) => r.slot)).toEqual([0]);
      expect(catalog.find((f) => f.field === "metrics.acc")).toMatchObject({ count: 40, min: 0 });
    } finally {
      await s2.close();
    }
  });
});
