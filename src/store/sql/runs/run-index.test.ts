import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { parseQuery } from "../../../query/parse.js";
import { sqliteDialect } from "../dialects/sqlite/dialect.js";
import { tempStore } from "../dialects/sqlite/test-support/temp-store.js";
import { compileFilter } from "../search/compile-filter.js";
import type { SqlStore } from "../sql-store.js";
import { syncRunIndex, WRITER_SYNC_EVERY } from "./run-index.js";

async function log(store: SqlStore, params: Record<string, unknown>, acc = 0.5): Promise<string> {
  const run = await store.startRun({ experiment: "leaves:1.0.0", params });
  await run.logMetrics({ acc });
  await run.finish();
  return run.runId;
}

const count = async (store: SqlStore, query: string) =>
  Number((await sql.raw<{ n: number }>(query).execute(store.ctx.db)).rows[0]!.n);

describe("deferred param leaves (migration 7)", () => {
  it("writes a run's leaves with the first read that needs them, in batches, never twice", async () => {
    const t = await tempStore("run-index");
    try {
      for (let i = 0; i < 5; i++) await log(t.store, { i, model: i % 2 ? "a" : "b", opt: { lr: i / 10 } });
      expect(await count(t.store, "select count(*) as n from run_params")).toBe(0);
      expect(await syncRunIndex(t.store.ctx, 2)).toBe(true); // three transactions
      expect(await count(t.store, "select count(*) as n from run_params")).toBe(15);
      expect(await count(t.store, "select through as n from run_index")).toBe(5);
      expect(await syncRunIndex(t.store.ctx)).toBe(true); // nothing left: no write
      expect(await count(t.store, "select count(*) as n from run_params")).toBe(15);
      const page = await t.store.searchRuns({ filter: "params.opt.lr >= 0.2", sort: "params.opt.lr" });
      expect(page.data.map((r) => r.params?.i)).toEqual([2, 3, 4]);
    } finally {
      await t.close();
    }
  });

  it("every read by params sees runs logged just before it, through every entry point", async () => {
    const t = await tempStore("run-index");
    try {
      for (let i = 0; i < 4; i++) await log(t.store, { model: i % 2 ? "a" : "b" }, i / 10);
      const s = t.store;
      expect((await s.searchRuns({ filter: 'params.model = "b"' })).pagination.totalResults).toBe(2);
      await log(s, { model: "b", extra: 1 }, 0.9);
      expect((await s.searchRuns({ filter: 'params.model = "b"' })).pagination.totalResults).toBe(3);
      await log(s, { model: "b" }, 0.8);
      const sorted = await s.searchRuns({ sort: "-params.extra", pageSize: 1 });
      expect(sorted.data[0]?.params?.extra).toBe(1);
      await log(s, { model: "c" });
      const groups = await s.aggregateRuns({
        experiment: "leaves",
        metrics: ["acc"],
        groupBy: ["params.model"],
      });
      expect(groups.groups.map((g) => g.key["params.model"]).sort()).toEqual(["a", "b", "c"]);
      await log(s, { model: "d" });
      const cmp = await s.compareGroups('params.model = "a"', 'params.model = "d"', { metrics: ["acc"] });
      expect([cmp.runsA, cmp.runsB]).toEqual([2, 1]);
      await log(s, { fresh: true });
      expect((await s.fieldCatalog()).map((f) => f.field)).toContain("params.fresh");
    } finally {
      await t.close();
    }
  });

  it("a new run's key stays above the indexed ones after the newest runs are deleted", async () => {
    const t = await tempStore("run-index");
    try {
      await log(t.store, { model: "a" });
      const newest = await log(t.store, { model: "b" });
      await syncRunIndex(t.store.ctx);
      await t.store.deleteRun(newest);
      const again = await log(t.store, { model: "b" });
      expect(await count(t.store, "select max(id) as n from runs")).toBe(3); // not 2 again
      const page = await t.store.searchRuns({ filter: 'params.model = "b"' });
      expect(page.data.map((r) => r.runId)).toEqual([again]);
    } finally {
      await t.close();
    }
  });

  it("a run committed by another connection after a sync is left out of params conditions, not matched by a negation", async () => {
    const t = await tempStore("run-index");
    try {
      await log(t.store, { model: "a" });
      await syncRunIndex(t.store.ctx);
      const other = await t.another();
      await log(other, { model: "b" }); // committed, its leaves not written yet
      const ids = async (filter: string) => {
        const where = compileFilter(parseQuery(filter, "runs"), {
          dialect: sqliteDialect,
          scope: "runs",
          owner: "r",
        });
        const { rows } = await sql<{ id: number }>`select r.id from runs as r where ${where}`.execute(
          t.store.ctx.db,
        );
        return rows.map((r) => Number(r.id));
      };
      expect(await ids('not params.model = "b"')).toEqual([1]); // not run 2 for want of its leaf
      expect(await ids('params.model = "b"')).toEqual([]);
      await syncRunIndex(t.store.ctx);
      expect(await ids('not params.model = "b"')).toEqual([1]);
      expect(await ids('params.model = "b"')).toEqual([2]);
    } finally {
      await t.close();
    }
  });

  it("a store of schema 6 (every run with its leaves) upgrades with its runs counted as indexed", async () => {
    const t = await tempStore("run-index");
    try {
      for (const model of ["a", "b", "b"]) await log(t.store, { model });
      await syncRunIndex(t.store.ctx);
      // As schema 6 left them: pending metric values, found by their own index.
      await sql`update run_metrics set pending = 1`.execute(t.store.ctx.db);
      await sql`create index run_metrics_pending on run_metrics (run_pk) where pending = 1`.execute(
        t.store.ctx.db,
      );
      await sql`drop table run_index`.execute(t.store.ctx.db);
      await sql`drop table run_changes`.execute(t.store.ctx.db); // migration 11
      for (const table of ["runs", "executions"]) {
        await sql.raw(`drop index ${table}_open`).execute(t.store.ctx.db); // migration 9's
        await sql.raw(`alter table ${table} drop column heartbeat_at`).execute(t.store.ctx.db);
      }
      for (const table of ["field_summaries", "field_values"]) {
        await sql.raw(`drop table ${table}`).execute(t.store.ctx.db); // migration 13's
      }
      await sql`drop index runs_ws_exp_status`.execute(t.store.ctx.db);
      await sql`drop index metric_series_points`.execute(t.store.ctx.db); // migration 12's
      await sql`create index metric_series_run on metric_series (run_pk, name, step)`.execute(t.store.ctx.db);
      await sql`update labbook_meta set value = '6' where key = 'schema_version'`.execute(t.store.ctx.db);
      const reopened = await t.another(); // migrates to 7
      expect(await count(reopened, "select through as n from run_index")).toBe(3);
      expect(await count(reopened, "select count(*) as n from run_metrics where pending = 1")).toBe(0);
      expect(
        await count(reopened, "select count(*) as n from sqlite_master where name = 'run_metrics_pending'"),
      ).toBe(0);
      await log(reopened, { model: "b" });
      const page = await reopened.searchRuns({ filter: 'params.model = "b"' });
      expect(page.pagination.totalResults).toBe(3);
      expect(await count(reopened, "select count(*) as n from run_params")).toBe(4);
    } finally {
      await t.close();
    }
  });

  it("metrics wait outside the value index only for runs above the mark; later ones of indexed runs go in at once", async () => {
    const t = await tempStore("run-index");
    try {
      const pending = () => count(t.store, "select count(*) as n from run_metrics where pending = 1");
      const early = await t.store.startRun({ experiment: "leaves", params: { k: 1 } });
      await early.logMetrics({ acc: 0.1 });
      await early.flush();
      await log(t.store, { k: 2 }, 0.2);
      expect(await pending()).toBe(2);
      const first = await t.store.searchRuns({ filter: "metrics.acc > 0.05", sort: "-metrics.acc" });
      expect(first.data.map((r) => r.metrics?.acc)).toEqual([0.2, 0.1]);
      expect(await pending()).toBe(0);
      await early.logMetrics({ acc: 0.7 }); // run 1 is below the mark now
      await early.finish();
      expect(await pending()).toBe(0);
      await log(t.store, { k: 3 }, 0.5); // above the mark: waits
      expect(await pending()).toBe(1);
      const page = await t.store.searchRuns({ filter: "metrics.acc > 0.3", sort: "-metrics.acc" });
      expect(page.data.map((r) => r.metrics?.acc)).toEqual([0.7, 0.5]);
      expect(page.pagination.totalResults).toBe(2);
    } finally {
      await t.close();
    }
  });

  it("a writer indexes the runs it logged once they reach a batch, so the first search after any amount of logging indexes at most a batch", async () => {
    const t = await tempStore("run-index");
    try {
      const reader = await t.another();
      const n = WRITER_SYNC_EVERY + 10;
      for (let i = 0; i < n; i++) {
        const run = await t.store.startRun({
          experiment: "leaves:1.0.0",
          params: { i, model: i % 2 ? "a" : "b" },
        });
        await run.logMetrics({ acc: i / n });
        await run.finish();
      }
      const through = await count(t.store, "select through as n from run_index");
      expect(through).toBeGreaterThanOrEqual(WRITER_SYNC_EVERY);
      expect(through).toBeLessThan(n);
      expect(await count(t.store, "select count(*) as n from run_params")).toBe(through * 2);
      expect(await count(t.store, "select count(*) as n from run_metrics where pending = 1")).toBe(
        n - through,
      );
      const page = await reader.searchRuns({
        filter: 'params.model = "b" and metrics.acc >= 0.5',
        pageSize: 1,
      });
      const expected = Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 0 && i / n >= 0.5);
      expect(page.pagination.totalResults).toBe(expected.length);
      expect(await count(t.store, "select through as n from run_index")).toBe(n);
    } finally {
      await t.close();
    }
  }, 60_000);
});
