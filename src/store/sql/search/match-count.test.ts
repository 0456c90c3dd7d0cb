import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunHandle } from "../../run-handle.js";
import { statementsOf } from "../dialects/sqlite/test-support/statements.js";
import { tempStore } from "../dialects/sqlite/test-support/temp-store.js";
import type { SqlStore } from "../sql-store.js";
import {
  describeDialects,
  tempStore as dialectStore,
  PROPERTY_TIMEOUT_MS,
  type TempStore,
} from "../test-support/temp-store.js";

const QUERIES = [
  { filter: 'metrics.acc > 0.5 and params.model = "b"', sort: "-metrics.acc" },
  { filter: "metrics.acc > 0.5 or tags.stage = 'dev'" },
  { filter: 'status = "running" or derived.score >= 2' },
  { filter: 'not params.model in ("a") and experiment = "e1"', experiment: "e1" },
  { sort: "params.model,-metrics.acc" },
  { filter: "metrics.acc > 0.2", sort: "-derived.score" },
  { filter: 'status != "running"', sort: "status,created_at" },
  {},
];

type Op =
  | { kind: "start"; model: "a" | "b"; acc: number; exp: "e1" | "e2"; finish: boolean }
  | { kind: "metric"; pick: number; acc: number }
  | { kind: "tag"; pick: number }
  | { kind: "derived"; pick: number; score: number }
  | { kind: "delete"; pick: number }
  | { kind: "foreign"; acc: number }
  | { kind: "foreignDerived"; pick: number; score: number }
  | { kind: "foreignDelete"; pick: number }
  | { kind: "search"; query: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("start" as const),
    model: fc.constantFrom("a" as const, "b" as const),
    acc: fc.double({ min: 0, max: 1, noNaN: true }),
    exp: fc.constantFrom("e1" as const, "e2" as const),
    finish: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("metric" as const),
    pick: fc.nat(),
    acc: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({ kind: fc.constant("tag" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("derived" as const), pick: fc.nat(), score: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("foreign" as const), acc: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant("foreignDerived" as const),
    pick: fc.nat(),
    score: fc.integer({ min: 0, max: 4 }),
  }),
  fc.record({ kind: fc.constant("foreignDelete" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("search" as const), query: fc.nat({ max: QUERIES.length - 1 }) }),
);

// SQLite keeps the count (and order) of matches per query and brings it up to date from the runs
// changed since, by this connection or a second one (whose writes, new runs and changes to
// existing ones, come through the store's change log). PostgreSQL keeps counts and pages only
// while the database's snapshot is unchanged (see kept-pages.test.ts): two handles are two
// replicas, and each search sees what the other wrote. A listing of every match (no count kept)
// by the other handle is the reference.
describeDialects("counts of matches after any sequence of writes", (dialect) => {
  let t: TempStore;
  let store: SqlStore;
  let other: SqlStore;

  beforeAll(async () => {
    t = await dialectStore("count", dialect);
    store = t.store;
    other = await t.another();
  });
  afterAll(() => t.close());

  it("keeps a change feed on both (SQLite by key, PostgreSQL by transaction), and counts under a change token on both", () => {
    expect(store.ctx.runChanges !== undefined).toBe(true);
    expect(store.ctx.runChanges?.recordsNewRuns === true).toBe(dialect === "postgres");
    expect(store.ctx.changeToken !== undefined).toBe(true);
  });

  it(
    "equal a recount by another connection after any sequence of writes",
    async () => {
      const running: RunHandle[] = [];
      const ids: string[] = [];
      const apply = async (o: Op) => {
        const pick = <T>(xs: T[], i: number) => (xs.length ? xs[i % xs.length] : undefined);
        switch (o.kind) {
          case "start": {
            const run = await store.startRun({ experiment: o.exp, params: { model: o.model } });
            await run.logMetrics({ acc: o.acc });
            if (o.finish) await run.finish();
            else {
              await run.flush();
              running.push(run);
            }
            ids.push(run.runId);
            return;
          }
          case "metric": {
            const run = pick(running, o.pick);
            if (run?.status !== "running") return;
            await run.logMetric("acc", o.acc);
            await run.flush();
            return;
          }
          case "tag": {
            const run = pick(running, o.pick);
            if (run?.status !== "running") return;
            await run.setTags({ stage: "dev" });
            await run.flush();
            return;
          }
          case "derived": {
            const id = pick(ids, o.pick);
            if (id) await store.setDerived(id, { score: o.score }, { overwrite: true });
            return;
          }
          case "delete":
          case "foreignDelete": {
            const id = pick(ids, o.pick);
            if (!id) return;
            ids.splice(ids.indexOf(id), 1);
            const i = running.findIndex((r) => r.runId === id);
            if (i >= 0) running.splice(i, 1);
            await (o.kind === "delete" ? store : other).deleteRun(id);
            return;
          }
          case "foreignDerived": {
            const id = pick(ids, o.pick);
            if (id) await other.setDerived(id, { score: o.score }, { overwrite: true });
            return;
          }
          case "foreign": {
            const run = await other.startRun({ experiment: "e1", params: { model: "b" } });
            await run.logMetrics({ acc: o.acc });
            await run.finish();
            ids.push(run.runId);
            return;
          }
          case "search": {
            const q = QUERIES[o.query]!;
            const mine = await store.searchRuns({ ...q, pageSize: 5 });
            const ref: string[] = [];
            for await (const r of other.iterateRuns({ ...q, fields: [] })) ref.push(r.runId);
            expect(mine.pagination.totalResults).toBe(ref.length);
            expect(mine.data.map((r) => r.runId)).toEqual(ref.slice(0, 5));
          }
        }
      };
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => {
          for (const o of ops) await apply(o);
          for (let q = 0; q < QUERIES.length; q++) await apply({ kind: "search", query: q });
        }),
        { numRuns: dialect === "sqlite" ? 25 : 10, seed: 20261123 },
      );
      // The property exercised the incremental path: searches saw this connection's own writes.
      const before = await store.searchRuns({ ...QUERIES[1], pageSize: 1 });
      const run = await store.startRun({ experiment: "e2", params: { model: "a" }, tags: { stage: "dev" } });
      await run.finish();
      const after = await store.searchRuns({ ...QUERIES[1], pageSize: 1 });
      expect(after.pagination.totalResults).toBe(before.pagination.totalResults + 1);
    },
    PROPERTY_TIMEOUT_MS[dialect],
  );
});

describe("counts after another connection's writes", () => {
  it("re-test only the runs it created, changed or deleted, never recounting every match", async () => {
    const c = await tempStore("count-foreign");
    try {
      const writer = await c.another();
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const run = await c.store.startRun({ experiment: "e", params: { model: i % 2 ? "a" : "b" } });
        await run.logMetrics({ acc: i / 30 });
        await run.finish();
        ids.push(run.runId);
      }
      const query = { filter: 'metrics.acc > 0.2 and params.model = "b"', sort: "-metrics.acc" };
      const total = async () => (await c.store.searchRuns(query)).pagination.totalResults;
      expect(await total()).toBe(11);
      const run = await writer.startRun({ experiment: "e", params: { model: "b" } });
      await run.logMetrics({ acc: 0.9 });
      await run.finish();
      await writer.deleteRun(ids[28]!); // acc 0.93, model b
      const seen = await statementsOf(async () => expect(await total()).toBe(11));
      const recounts = seen.filter(
        (s) => /select r\.id as id from/.test(s.sql) && !/r\.id in \(/.test(s.sql),
      );
      expect(recounts).toEqual([]);
      await writer.setDerived(ids[0]!, { x: 1 });
      await writer.deleteRun(ids[2]!); // acc 0.07: no match
      expect(await total()).toBe(11);
      await writer.deleteRun(ids[26]!); // acc 0.87, model b
      expect(await total()).toBe(10);
    } finally {
      await c.close();
    }
  });
});

describe("queries that differ only by NaN, Infinity or null", () => {
  it("are counted and compiled apart", async () => {
    const n = await tempStore("nan");
    const s = n.store;
    try {
      for (const v of [Number.NaN, Number.POSITIVE_INFINITY, 1]) {
        const run = await s.startRun({ experiment: "n", params: {} });
        await run.logMetrics({ x: v });
        await run.finish();
      }
      const total = async (filter: string) => (await s.searchRuns({ filter })).pagination.totalResults;
      expect(await total("metrics.x = NaN")).toBe(1);
      expect(await total("metrics.x = null")).toBe(0);
      expect(await total("metrics.x > 1")).toBe(1); // Infinity
      expect(await total("metrics.x = NaN")).toBe(1);
    } finally {
      await n.close();
    }
  });
});
