import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SearchRunsQuery } from "../../search-methods.js";
import { queryPlans, statementsOf } from "../dialects/sqlite/test-support/statements.js";
import { type TempStore, tempStore } from "../dialects/sqlite/test-support/temp-store.js";

// What a search reads, from the plans of the statements it runs: a page of 10 never reads and
// sorts every match, whatever the sort (the matches here are a few hundred; at 100,000 runs the
// same plans decide between a millisecond and a second).
let t: TempStore;

beforeAll(async () => {
  t = await tempStore("plans");
  for (let i = 0; i < 400; i++) {
    const run = await t.store.startRun({
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
});
afterAll(() => t.close());

const FILTER = 'metrics.acc > 0.5 and params.model = "b"';

async function plansOf(query: SearchRunsQuery): Promise<string[]> {
  await t.store.searchRuns(query); // the count and the run index brought up to date
  const seen = await statementsOf(() => t.store.searchRuns(query));
  return queryPlans(join(t.dir, "labbook.db"), seen);
}

describe("search plans", () => {
  it("reads a default-order page with a metric range along the creation-time index, never sorting the matches", async () => {
    const plans = await plansOf({ filter: FILTER, pageSize: 10 });
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) expect(p).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    expect(plans.some((p) => /runs_ws_created/.test(p))).toBe(true);
  });
});
