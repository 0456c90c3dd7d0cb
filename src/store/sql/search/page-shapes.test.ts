import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunRecord } from "../../../core/types.js";
import { matchesRun } from "../../../query/evaluate.js";
import { parseQuery } from "../../../query/parse.js";
import { parseSort, sortRuns } from "../../../query/sort.js";
import type { SearchRunsQuery } from "../../search-methods.js";
import type { SqlStore } from "../sql-store.js";
import { describeDialects, type TempStore, tempStore } from "../test-support/temp-store.js";

// The page shapes of the search benchmark, on both dialects: each paged through by cursor and by
// page number (a metric range under the default order walks the creation-time index and tests the
// range on each run; SQLite also cuts pages from the matches it keeps in order), warm, and after
// runs written by another handle (a second process, or a second replica on PostgreSQL), equal
// the in-memory reference. Runs share start times, so that ties go to the run id.
const FILTER = 'metrics.acc > 0.5 and params.model = "b"';
const SHAPES: SearchRunsQuery[] = [
  { filter: FILTER },
  { filter: FILTER, sort: "-metrics.acc" },
  { filter: FILTER, sort: "params.lr" },
  { filter: "metrics.acc >= 0.25 and metrics.acc < 0.75" },
  { filter: 'tags.stage = "prod"' },
  { filter: 'params.optimizer.name = "adam" and params.optimizer.beta1 > 0.9' },
  { filter: '(params.model = "b" or params.depth in (1, 2)) and not tags.stage = "prod"' },
  { filter: 'name like "b-sgd-1%"' },
  {},
];

async function logRun(store: SqlStore, i: number) {
  const model = i % 3 ? "b" : "a";
  const optimizer = i % 4 ? "adam" : "sgd";
  const run = await store.startRun({
    experiment: "shapes",
    name: `${model}-${optimizer}-${i}`,
    params: {
      lr: 10 ** -(1 + (i % 4)),
      model,
      depth: 1 + (i % 8),
      optimizer: { name: optimizer, beta1: 0.8 + ((i * 7) % 20) / 100 },
    },
    tags: { stage: i % 10 === 0 ? "prod" : "dev" },
    startedAt: 1_700_000_000_000 + Math.floor(i / 3) * 1000,
  });
  await run.logMetrics({ acc: ((i * 37) % 100) / 100 });
  await run.finish();
}

describeDialects("page shapes against the in-memory reference", (dialect) => {
  let t: TempStore;
  let other: SqlStore;
  let logged = 0;

  beforeAll(async () => {
    t = await tempStore("shapes", dialect);
    other = await t.another();
    for (; logged < 90; logged++) await logRun(t.store, logged);
  });
  afterAll(() => t.close());

  async function expected(shape: SearchRunsQuery): Promise<string[]> {
    const records: RunRecord[] = await other.listRuns({ experiment: "shapes" });
    const ast = shape.filter ? parseQuery(shape.filter as string) : null;
    return sortRuns(
      records.filter((r) => ast === null || matchesRun(ast, r)),
      parseSort(shape.sort as string | undefined),
    ).map((r) => r.runId);
  }

  async function byCursor(shape: SearchRunsQuery): Promise<{ ids: string[]; total: number }> {
    const ids: string[] = [];
    let cursor: string | undefined;
    let total = -1;
    do {
      const page = await t.store.searchRuns({
        ...shape,
        pageSize: 7,
        fields: [],
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...page.data.map((r) => r.runId));
      total = page.pagination.totalResults;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { ids, total };
  }

  it("every shape, paged by cursor and by number, warm and after another handle's writes", async () => {
    for (const round of ["first", "warm", "after another handle's writes"]) {
      if (round === "after another handle's writes") {
        for (let k = 0; k < 5; k++) await logRun(other, logged++);
        await other.setDerived((await other.listRuns({ experiment: "shapes" }))[3]!.runId, { x: 1 });
      }
      for (const shape of SHAPES) {
        const want = await expected(shape);
        const got = await byCursor(shape);
        expect(got.ids, `${JSON.stringify(shape)} (${round})`).toEqual(want);
        expect(got.total).toBe(want.length);
        const third = await t.store.searchRuns({ ...shape, page: 3, pageSize: 7, fields: [] });
        expect(third.data.map((r) => r.runId)).toEqual(want.slice(14, 21));
        const listed: string[] = [];
        for await (const r of t.store.iterateRuns({ ...shape, fields: [] })) listed.push(r.runId);
        expect(listed).toEqual(want);
      }
    }
  });
});
