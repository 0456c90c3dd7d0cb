import pg from "pg";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { SearchPage, SearchRun } from "../../../search-methods.js";
import type { SqlStore } from "../../sql-store.js";
import { sentStatements } from "../../test-support/sent-statements.js";
import { describePostgres, type TempStore, tempStore } from "../../test-support/temp-store.js";
import { postgresRunChanges } from "./run-changes.js";
import { parsePostgresUri } from "./uri.js";

// PostgreSQL's change feed reads the runs changed between two snapshots from the transaction
// ids recorded with each change: a transaction that took its id (and a run key) before another
// one but commits after it is still found, and a mark older than the records kept is refused.
describePostgres("run change feed by transaction", () => {
  let t: TempStore;
  let store: SqlStore;
  let other: SqlStore;
  const pk = async (runId: string) => {
    const [r] = (await store.ctx.db
      .selectFrom("runs")
      .select("id")
      .where("run_id", "=", runId)
      .execute()) as {
      id: number;
    }[];
    return Number(r!.id);
  };

  beforeAll(async () => {
    t = await tempStore("feed", "postgres");
    store = t.store;
    other = await t.another();
  });
  afterAll(() => t.close());

  it("records new runs, and nothing changes between a snapshot and itself", async () => {
    const feed = store.ctx.runChanges!;
    const before = await feed.mark();
    expect(await feed.changedSince(before, before, 10)).toEqual([]);
    const run = await other.startRun({ experiment: "feed" });
    await run.finish();
    const after = await feed.mark();
    expect(after.snapshot).not.toBe(before.snapshot);
    expect(await feed.changedSince(before, after, 10)).toEqual([await pk(run.runId)]);
  });

  it("finds a transaction that was in progress at the first mark and committed after a later one", async () => {
    const feed = store.ctx.runChanges!;
    const early = await other.startRun({ experiment: "feed" });
    await early.finish();
    const earlyPk = await pk(early.runId);
    const target = parsePostgresUri(t.uri);
    const client = new pg.Client(target.connectionString);
    await client.connect();
    try {
      await client.query(`set search_path to ${target.schema}`);
      await client.query("begin");
      // The lower transaction id: its change recorded first, committed last.
      await client.query("update runs set name = 'late' where id = $1", [earlyPk]);
      await client.query("insert into run_changes (run_pk) values ($1)", [earlyPk]);
      const later = await other.startRun({ experiment: "feed" });
      await later.finish();
      const open = await feed.mark();
      expect(await feed.changedSince(open, open, 10)).toEqual([]);
      await client.query("commit");
      const committed = await feed.mark();
      expect(await feed.changedSince(open, committed, 10)).toEqual([earlyPk]);
      // A later mark sees it: nothing changed since.
      expect(await feed.changedSince(committed, await feed.mark(), 10)).toEqual([]);
    } finally {
      await client.query("rollback").catch(() => undefined);
      await client.end();
    }
  });

  it("keeps a query's matches after its first search, then re-tests only the runs changed since", async () => {
    const query = { experiment: "follow", filter: "metrics.acc >= 0.5", sort: "-metrics.acc", pageSize: 2 };
    const log = async (acc: number) => {
      const run = await other.startRun({ experiment: "follow" });
      await run.logMetrics({ acc });
      await run.finish();
      return run.runId;
    };
    for (const acc of [0.9, 0.1, 0.7]) await log(acc);
    let first: SearchPage<SearchRun> | undefined;
    // Its page and count; its matches read behind it.
    const sent = await sentStatements(store.ctx.db, async () => {
      first = await store.searchRuns(query);
    });
    expect(first!.pagination.totalResults).toBe(2);
    expect(sent.some((s) => /count\(\*\)/.test(s))).toBe(true);
    await vi.waitFor(async () => {
      const added = await log(0.8);
      let page: SearchPage<SearchRun> | undefined;
      const after = await sentStatements(store.ctx.db, async () => {
        page = await store.searchRuns(query);
      });
      expect(after.some((s) => /count\(\*\)|\blimit\b/.test(s))).toBe(false); // no recount, no page query
      expect(page!.data.map((r) => r.runId)).toContain(added);
    });
    const all = await other.searchRuns({ ...query, pageSize: 100 });
    const again = await store.searchRuns(query);
    expect(again.pagination.totalResults).toBe(all.pagination.totalResults);
    expect(again.data.map((r) => r.runId)).toEqual(all.data.slice(0, 2).map((r) => r.runId));
  });

  it("answers null past its limit, and for a mark older than the records it kept", async () => {
    const feed = store.ctx.runChanges!;
    const before = await feed.mark();
    for (let i = 0; i < 3; i++) await (await other.startRun({ experiment: "feed" })).finish();
    expect(await feed.changedSince(before, await feed.mark(), 2)).toBeNull();
    expect((await feed.changedSince(before, await feed.mark(), 3))?.length).toBe(3);
    // A feed that keeps 2 records, trimming at every record.
    const small = postgresRunChanges(store.ctx.db, { keep: 2, trimEvery: 1 });
    const old = await small.mark();
    const key = await pk((await other.startRun({ experiment: "feed" })).runId);
    for (let i = 0; i < 4; i++) await store.ctx.write((tx) => small.record(tx, [key]));
    const now = await small.mark();
    expect(await small.changedSince(old, now, 100)).toBeNull();
    await store.ctx.write((tx) => small.record(tx, [key]));
    expect(await small.changedSince(now, await small.mark(), 100)).toEqual([key]);
    const [{ n }] = (await store.ctx.db
      .selectFrom("run_changes")
      .select((eb) => eb.fn.countAll().as("n"))
      .execute()) as [{ n: number }];
    expect(Number(n)).toBeLessThanOrEqual(3);
  });
});
