import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { SqlStore } from "../sql-store.js";
import { describeDialects, type TempStore, tempStore } from "../test-support/temp-store.js";
import { pagePlanning } from "./ordered-page.js";

const FILTERS = [
  "metrics.acc > 0.3",
  'metrics.acc >= 0.2 and params.model = "b"',
  "metrics.acc < 0.9 and metrics.acc > 0.1 and metrics.loss > 0.5",
  "metrics.acc > 0.3 and not params.depth = 2",
];
const SORTS = ["-created_at", "created_at", "params.depth", "-metrics.loss", "name", "-metrics.acc"];

describeDialects("a page under a wide metric range, read in the sort's order", (dialect) => {
  let t: TempStore;
  let store: SqlStore;
  const planning = { ...pagePlanning };
  beforeAll(async () => {
    t = await tempStore("wide-range", dialect);
    store = t.store;
    for (let i = 0; i < 120; i++) {
      const run = await store.startRun({
        experiment: i % 4 ? "wide" : "other",
        name: `r${(i * 37) % 120}`,
        params: { model: i % 3 ? "a" : "b", depth: i % 5 },
      });
      await run.logMetrics({ acc: ((i * 7919) % 101) / 100, loss: ((i * 104_729) % 97) / 50 });
      if (i % 6) await run.finish();
      else await run.flush(); // an open run: its metrics written now, not by the next timer
    }
  });
  afterEach(() => Object.assign(pagePlanning, planning));
  afterAll(() => t.close());

  it("pages, totals and cursors equal those read from the range (every filter, sort, page)", async () => {
    for (const filter of FILTERS) {
      for (const sort of SORTS) {
        for (const experiment of [undefined, "wide"]) {
          for (const [page, pageSize] of [
            [1, 7],
            [3, 7],
            [1, 50],
          ] as const) {
            const query = {
              experiment,
              filter,
              sort,
              page,
              pageSize,
              fields: ["params", "metrics"] as const,
            };
            Object.assign(pagePlanning, planning);
            const fromRange = await store.searchRuns(query);
            Object.assign(pagePlanning, { wideRange: 5, sortDrivenRows: 1_000 });
            const inSortOrder = await store.searchRuns(query);
            expect(
              inSortOrder.data.map((r) => r.runId),
              `${filter} | ${sort} | ${page}`,
            ).toEqual(fromRange.data.map((r) => r.runId));
            expect(inSortOrder.pagination).toEqual(fromRange.pagination);
            expect(inSortOrder.data).toEqual(fromRange.data);
          }
          // keyset pages too: every page after the first by cursor
          const walk = async () => {
            const ids: string[] = [];
            let cursor: string | undefined;
            for (;;) {
              const p = await store.searchRuns({ experiment, filter, sort, pageSize: 9, cursor, fields: [] });
              ids.push(...p.data.map((r) => r.runId));
              if (!p.nextCursor) return ids;
              cursor = p.nextCursor;
            }
          };
          Object.assign(pagePlanning, planning);
          const before = await walk();
          Object.assign(pagePlanning, { wideRange: 5, sortDrivenRows: 1_000 });
          expect(await walk()).toEqual(before);
        }
      }
    }
  }, 240_000);
});
