import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SearchRunsQuery } from "../../search-methods.js";
import { queryPlans, statementsOf, unboundedSteps } from "../dialects/sqlite/test-support/statements.js";
import { type TempStore, tempStore } from "../dialects/sqlite/test-support/temp-store.js";
import type { SqlStore } from "../sql-store.js";

// What a search reads, from the plans of the statements it runs: a page of 10 never reads and
// sorts every match, whatever the sort (the matches here are a few hundred; at 100,000 runs the
// same plans decide between a millisecond and a second).
let t: TempStore;
let writer: SqlStore;

async function logRun(into: SqlStore, i: number) {
  const run = await into.startRun({
    experiment: "sweep",
    name: `${i % 2 ? "a" : "b"}-${i}`,
    params: {
      lr: 10 ** -(1 + (i % 4)),
      model: i % 2 ? "a" : "b",
      optimizer: { name: i % 3 ? "adam" : "sgd" },
    },
    tags: i % 10 === 0 ? { stage: "prod" } : { stage: "dev" },
  });
  await run.logMetrics({ acc: ((i * 37) % 100) / 100, loss: i / 400 });
  await run.finish();
}

beforeAll(async () => {
  t = await tempStore("plans");
  writer = await t.another();
  for (let i = 0; i < 400; i++) await logRun(t.store, i);
});
afterAll(() => t.close());

const FILTER = 'metrics.acc > 0.5 and params.model = "b"';
const SHAPES: SearchRunsQuery[] = [
  { filter: FILTER },
  { filter: FILTER, sort: "-metrics.acc" },
  { filter: FILTER, sort: "params.lr" },
  { sort: "params.lr" },
  { sort: "-metrics.acc" },
  { filter: 'tags.stage = "prod"' },
  { filter: 'params.optimizer.name = "adam"', sort: "name" },
  { filter: 'params.model = "b" or params.lr in (0.1, 0.01) and not tags.stage = "dev"' },
  { filter: 'name like "a-1%"' },
  {},
];

async function plansOf(fn: () => Promise<unknown>) {
  return queryPlans(join(t.dir, "labbook.db"), await statementsOf(fn));
}

describe("search plans", () => {
  it("a page of any shape, warm or after writes by this or another process, reads only the changed runs and the page's runs", async () => {
    let i = 400;
    for (const shape of SHAPES) {
      const query = { ...shape, pageSize: 10 };
      const first = await t.store.searchRuns(query); // the count and the order of the matches
      for (const write of [null, t.store, writer]) {
        if (write) await logRun(write, i++);
        let page: typeof first | undefined;
        const plans = await plansOf(async () => {
          page = await t.store.searchRuns(query);
        });
        // The change log is read from the search's mark on: the changed runs (a run's end is a
        // change of a run that exists since startRun), made distinct.
        const unbounded = plans.filter(
          (p) => !/from run_changes/.test(p.sql) && unboundedSteps(p.plan).length > 0,
        );
        expect(unbounded, `${JSON.stringify(shape)} after ${write ? "a write" : "nothing"}`).toEqual([]);
        expect(page!.pagination.totalResults).toBeGreaterThanOrEqual(first.pagination.totalResults);
      }
    }
  });

  it("a first search reads every match along the runs' covering scope index, a probe by run key per condition and sort key", async () => {
    for (const shape of SHAPES.slice(0, 5)) {
      const fresh = await t.another(); // nothing kept yet: every match is read once
      const plans = await plansOf(() => fresh.searchRuns({ ...shape, pageSize: 10 }));
      const all = plans.filter((p) => /tie0/.test(p.sql) && !/\blimit\b/.test(p.sql));
      expect(all, JSON.stringify(shape)).toHaveLength(1);
      const steps = all[0]!.plan.split(" | ").filter((step) => /^(SCAN|SEARCH)/.test(step));
      expect(steps[0], JSON.stringify(shape)).toMatch(
        /^SEARCH r USING COVERING INDEX runs_ws_\w+ \(workspace=\?\)$/,
      );
      expect(
        steps.slice(1).every((step) => /\((run_pk|rowid)=\?/.test(step)),
        all[0]!.plan,
      ).toBe(true);
    }
  });

  it("reads a default-order page without a count (the iterator) along the creation-time index, never sorting the matches", async () => {
    const plans = await plansOf(async () => {
      for await (const r of t.store.iterateRuns({ filter: FILTER, fields: [] })) expect(r.runId).toBeTruthy();
    });
    const page = plans.find((p) => /tie0/.test(p.sql));
    expect(page?.plan).toMatch(/runs_ws_created/);
    expect(page?.plan).not.toMatch(/TEMP B-TREE/);
  });
});
