import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteDialect } from "../dialects/sqlite/dialect.js";
import { openSqliteStore } from "../dialects/sqlite/open.js";
import type { SqlStore } from "../sql-store.js";
import { fieldPlan, loadRuns, runColumnsSql } from "./load-runs.js";

let store: SqlStore;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "labbook-load-runs-"));
  store = await openSqliteStore(dir);
  const values = [0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e-300];
  for (let i = 0; i < 6; i++) {
    const run = await store.startRun({
      experiment: "load",
      params: i === 2 ? JSON.parse('{"__proto__":{"x":1},"a":"é\\u0000"}') : { lr: i / 10, deep: { k: [i] } },
    });
    await run.logMetrics({ acc: values[i]!, ...(i % 2 ? { [`m${i}`]: i } : {}) });
    if (i === 1) await run.logMetric("curve", 3, { step: 0 });
    await run.finish();
    if (i === 4) await store.setDerived(run.runId, { score: Number.NaN, note: { $tag: "x" } });
  }
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A select over `runs as r` with the given columns, compiled. */
function compiled(cols: ReturnType<typeof runColumnsSql>) {
  return sql`select ${sql.join([sql.ref("r.id"), ...cols])} from runs as r where r.id > ${0}`.compile(
    store.ctx.db,
  );
}

describe("runColumnsSql", () => {
  it("compiles to the same SQL and parameters with the store's db (one raw piece) as without", () => {
    const plans = [
      undefined,
      [],
      ["params"],
      ["metrics"],
      ["derived", "params"],
      ["metrics.acc", "derived"],
      ["metrics.acc", "metrics.m1", "derived.score"],
    ];
    for (const fields of plans) {
      const plan = fieldPlan(fields);
      const plainCols = runColumnsSql(plan, sqliteDialect);
      const withDb = runColumnsSql(plan, sqliteDialect, store.ctx.db);
      const a = compiled(plainCols);
      const b = compiled(withDb);
      expect(b.sql).toBe(a.sql);
      expect(b.parameters).toEqual(a.parameters);
      // again from the cache
      expect(compiled(runColumnsSql(plan, sqliteDialect, store.ctx.db)).sql).toBe(a.sql);
      if (a.parameters.length === 1) expect(withDb).toHaveLength(1);
    }
  });
});

describe("loadRuns", () => {
  it("reads the same runs from the page's inline columns as from its own queries", async () => {
    const keys = new Map(
      (await store.ctx.db.selectFrom("runs").select(["id", "run_id"]).execute()).map((r) => [
        r.run_id,
        Number(r.id),
      ]),
    );
    for (const fields of [undefined, ["params", "metrics", "derived", "series"], ["metrics.acc"], []]) {
      const plan = fieldPlan(fields);
      const page = await store.searchRuns({ fields: fields as never, sort: "-created_at", pageSize: 50 });
      expect(page.data).toHaveLength(6);
      const own = await loadRuns(
        store.ctx,
        page.data.map((r) => keys.get(r.runId)!),
        plan,
      );
      expect(page.data.map((r) => r.runId)).toEqual(own.map((r) => r.runId));
      expect(page.data).toEqual(own);
      for (let i = 0; i < own.length; i++) {
        // -0 and NaN kept apart from 0 and null, prototypes the same
        const m = own[i]!.metrics;
        if (m) expect(Object.is(page.data[i]!.metrics!.acc, m.acc)).toBe(true);
        if (own[i]!.params) {
          expect(Object.getPrototypeOf(page.data[i]!.params)).toEqual(Object.getPrototypeOf(own[i]!.params));
        }
      }
    }
  });

  it("answers an empty list without a query", async () => {
    expect(await loadRuns(store.ctx, [], fieldPlan(undefined))).toEqual([]);
  });
});
