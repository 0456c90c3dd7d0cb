import pg from "pg";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { SearchPage, SearchRun, SearchRunsQuery } from "../../search-methods.js";
import { parsePostgresUri } from "../dialects/postgres/uri.js";
import type { SqlStore } from "../sql-store.js";
import { sentStatements } from "../test-support/sent-statements.js";
import { describePostgres, type TempStore, tempStore } from "../test-support/temp-store.js";

// On PostgreSQL a store handle keeps the matches of the run searches it served (their count and
// order), brought up to date at the start of each search by the runs changed since the snapshot
// they were read under (`run_changes`, migration 15), and other counts and pages under the
// database's snapshot (`pg_current_snapshot()`), read once at the start of each search. Two handles are two
// replicas: whatever the second one commits (a run, a metric, a tag, a param, a derived value, a
// deletion), and a transaction that was still open when the first handle read its token, shows
// in the first handle's next search, totals and page alike. The reference is the second
// handle's listing of every match (`iterateRuns`, streamed, never kept).
const PAGE = 3;

describePostgres("counts and pages kept under the snapshot", () => {
  let t: TempStore;
  let store: SqlStore;
  let other: SqlStore;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await tempStore("kept", "postgres");
    store = t.store;
    other = await t.another();
    for (let i = 0; i < 8; i++) {
      const run = await store.startRun({
        experiment: "kept",
        name: `run-${i}`,
        params: { model: i % 2 ? "a" : "b", lr: 10 ** -(1 + (i % 3)) },
        tags: { stage: "dev" },
        startedAt: 1_700_000_000_000 + i * 1000,
      });
      await run.logMetrics({ acc: i / 10 });
      await run.flush(); // left running: another handle may still write to it
      ids.push(run.runId);
    }
  });
  afterAll(() => t.close());

  /** What the first handle serves, and what the second lists, for a query. */
  async function both(query: SearchRunsQuery) {
    const page = await store.searchRuns({ ...query, pageSize: PAGE });
    const ref: string[] = [];
    for await (const r of other.iterateRuns({ ...query, fields: [] })) ref.push(r.runId);
    return { page, ref };
  }

  /** Searches twice (the second one served from what the first kept), then checks against the reference. */
  async function served(query: SearchRunsQuery) {
    await store.searchRuns({ ...query, pageSize: PAGE });
    const { page, ref } = await both(query);
    expect(page.pagination.totalResults).toBe(ref.length);
    expect(page.data.map((r) => r.runId)).toEqual(ref.slice(0, PAGE));
    return page;
  }

  /** The statements `fn` sends through the first handle's `executeQuery`. */
  const sentBy = (fn: () => Promise<void>) => sentStatements(store.ctx.db, fn);

  /**
   * Runs `fn` until no transaction completed on the server while it ran (the token is the
   * server's: other databases' commits, other test files', change it too), then returns what it sent.
   */
  async function quietly(fn: () => Promise<void>): Promise<string[]> {
    for (let i = 0; i < 100; i++) {
      const before = await store.ctx.changeToken!();
      const sent = await sentBy(fn);
      if ((await store.ctx.changeToken!()) === before) return sent;
    }
    throw new Error("the server never stayed without a commit for the length of a search");
  }

  it("serves a search asked again, with no commit in between, from one token read", async () => {
    const query = { filter: "metrics.acc > 0.25", sort: "-metrics.acc", pageSize: PAGE };
    const first = await store.searchRuns(query);
    // Its matches, read behind the first search, are kept: later searches read the feed's mark.
    await vi.waitFor(async () => {
      const sent = await sentBy(async () => void (await store.searchRuns(query)));
      expect(sent.some((s) => /pg_current_snapshot\(\)::text as s\b/.test(s))).toBe(true);
    });
    const sent = await quietly(async () => {
      await store.searchRuns(query);
      const again = await store.searchRuns(query);
      expect(again).toEqual(first);
      // Nothing handed out is shared: changing what one search returned changes nothing kept.
      (again.data[0]!.metrics as Record<string, number>).acc = -1;
      again.data[0]!.runId = "changed";
      expect(await store.searchRuns(query)).toEqual(first);
    });
    expect(sent.filter((s) => !/pg_current_snapshot/.test(s)).length).toBeLessThanOrEqual(2); // the first: page and count
    expect(sent.slice(-2).every((s) => /pg_current_snapshot/.test(s))).toBe(true);
  });

  it("reads a page and its count once for searches that ask them at once under the same token", async () => {
    let checked = false;
    for (let i = 0; i < 100 && !checked; i++) {
      // A query not searched before: answered by its page and count; its matches are read behind.
      const query = { filter: `metrics.acc > ${0.15 + i / 1e6}`, sort: "params.lr", pageSize: PAGE };
      await other.setDerived(ids[7]!, { round: i }, { overwrite: true }); // nothing kept under the next token
      const before = await store.ctx.changeToken!();
      let pages: SearchPage<SearchRun>[] = [];
      const sent = await sentBy(async () => {
        pages = await Promise.all([1, 2, 3, 4].map(() => store.searchRuns(query)));
      });
      if ((await store.ctx.changeToken!()) !== before) continue; // a commit on the server meanwhile
      expect(sent.filter((s) => /count\(\*\)/.test(s))).toHaveLength(1);
      expect(sent.filter((s) => /\blimit\b/.test(s))).toHaveLength(1);
      for (const p of pages.slice(1)) expect(p).toEqual(pages[0]);
      expect(pages[0]!.data[0]).not.toBe(pages[1]!.data[0]);
      checked = true;
    }
    expect(checked).toBe(true);
  });

  it("shows a run another replica wrote", async () => {
    const query = { filter: "metrics.acc > 0.25" };
    const before = await served(query);
    const run = await other.startRun({ experiment: "kept", name: "new", params: { model: "b", lr: 0.1 } });
    await run.logMetrics({ acc: 0.95 });
    await run.finish();
    const after = await served(query);
    expect(after.pagination.totalResults).toBe(before.pagination.totalResults + 1);
    expect(after.data[0]!.runId).toBe(run.runId); // the newest first
  });

  it("shows a metric, a tag and a param another replica changed, in totals and in the page's values", async () => {
    const byMetric = { filter: "metrics.acc > 0.25", sort: "-metrics.acc" };
    const before = await served(byMetric);
    await other.writeRun(ids[1]!, {
      metrics: [{ name: "acc", value: 0.99, step: null, timestamp: Date.now() }],
    });
    const after = await served(byMetric);
    expect(after.pagination.totalResults).toBe(before.pagination.totalResults + 1);
    expect(after.data[0]!.runId).toBe(ids[1]);
    expect(after.data[0]!.metrics?.acc).toBe(0.99);

    const byTag = { filter: 'tags.stage = "prod"' };
    expect((await served(byTag)).pagination.totalResults).toBe(0);
    const all = { filter: 'name like "run-%"', sort: "name" };
    expect((await served(all)).data[0]!.tags).toEqual({ stage: "dev" });
    await other.writeRun(ids[0]!, { tags: { stage: "prod" } });
    expect((await served(byTag)).data.map((r) => r.runId)).toEqual([ids[0]]);
    expect((await served(all)).data[0]!.tags).toEqual({ stage: "prod" });

    const byParam = { filter: 'params.model = "b"', sort: "params.lr" };
    const params = await served(byParam);
    expect((await served({ filter: 'name = "run-3"' })).data[0]!.params).toEqual({ model: "a", lr: 0.1 });
    await other.writeRun(ids[3]!, { params: { values: { model: "b", lr: 0.0001 }, replace: true } });
    const changed = await served(byParam);
    expect(changed.pagination.totalResults).toBe(params.pagination.totalResults + 1);
    expect(changed.data[0]!.runId).toBe(ids[3]);
    expect((await served({ filter: 'name = "run-3"' })).data[0]!.params).toEqual({ model: "b", lr: 0.0001 });
  });

  it("shows a derived value another replica set, and a run it deleted", async () => {
    const derived = { filter: "derived.score >= 2", sort: "-derived.score" };
    expect((await served(derived)).pagination.totalResults).toBe(0);
    await other.setDerived(ids[5]!, { score: 3 });
    const one = await served(derived);
    expect(one.data.map((r) => [r.runId, r.derived?.score])).toEqual([[ids[5], 3]]);
    await other.setDerived(ids[5]!, { score: 1 }, { overwrite: true });
    expect((await served(derived)).pagination.totalResults).toBe(0);

    const query = { filter: 'name like "run-%"', sort: "name" };
    const before = await served(query);
    expect(before.data[0]!.runId).toBe(ids[0]);
    await other.deleteRun(ids[0]!);
    const after = await served(query);
    expect(after.pagination.totalResults).toBe(before.pagination.totalResults - 1);
    expect(after.data[0]!.runId).toBe(ids[1]);
  });

  it("shows a transaction that was open when the snapshot was read, once it commits, whatever its key", async () => {
    const target = parsePostgresUri(t.uri);
    const client = new pg.Client(target.connectionString);
    await client.connect();
    try {
      await client.query(`set search_path to ${target.schema}`);
      const query = { filter: 'name like "renamed%"' };
      expect((await served(query)).pagination.totalResults).toBe(0);
      // A transaction with an id, left open; then a later one commits, so that the highest
      // completed id moves past the open one: the list of transactions in progress tells the
      // two snapshots apart once the open one commits.
      await client.query("begin");
      await client.query("update runs set name = 'renamed' where run_id = $1", [ids[2]]);
      // As the store's writes do: the change recorded with the transaction's id (migration 15).
      await client.query("insert into run_changes (run_pk) select id from runs where run_id = $1", [ids[2]]);
      await other.setDerived(ids[6]!, { later: 1 });
      const open = await store.ctx.changeToken!();
      expect((await served(query)).pagination.totalResults).toBe(0);
      await client.query("commit");
      const committed = await store.ctx.changeToken!();
      expect(committed).not.toBe(open);
      const after = await served(query);
      expect(after.pagination.totalResults).toBe(1);
      expect(after.data.map((r) => [r.runId, r.name])).toEqual([[ids[2], "renamed"]]);
    } finally {
      await client.query("rollback").catch(() => undefined);
      await client.end();
    }
  });

  it("keeps keyset pages apart by their cursor, and brings them up to date too", async () => {
    const query = { filter: 'name like "run-%"', sort: "name", pageSize: 2 };
    const first = await store.searchRuns(query);
    const second = await store.searchRuns({ ...query, cursor: first.nextCursor! });
    const again = await store.searchRuns({ ...query, cursor: first.nextCursor! });
    expect(again).toEqual(second);
    expect(second.data.map((r) => r.runId)).not.toEqual(first.data.map((r) => r.runId));
    const moved = second.data[0]!.runId;
    await other.setDerived(moved, { marked: 1 });
    const after = await store.searchRuns({ ...query, cursor: first.nextCursor! });
    expect(after.data[0]!.derived).toEqual({ ...second.data[0]!.derived, marked: 1 });
  });
});
