import { describe, expect, it } from "vitest";
import { statementsOf } from "../dialects/sqlite/test-support/statements.js";
import { tempStore } from "../dialects/sqlite/test-support/temp-store.js";

const QUERY = { filter: 'metrics.acc > 0.2 and params.model = "b"', sort: "-metrics.acc", pageSize: 5 };
const readsColumns = (sql: string) => /^select r\.id as id, .* from runs as r where r\.id in \(/s.test(sql);

describe("a page's columns kept while no run changed", () => {
  it("are read once for the same page, and read again after any write, by this connection or another", async () => {
    const t = await tempStore("kept-columns");
    try {
      const writer = await t.another();
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const run = await t.store.startRun({ experiment: "e", params: { model: i % 2 ? "a" : "b" } });
        await run.logMetrics({ acc: i / 20 });
        await run.finish();
        ids.push(run.runId);
      }
      const first = await t.store.searchRuns(QUERY);
      const top = first.data[0]!;
      expect(top.metrics?.acc).toBe(18 / 20);
      // Asked again with nothing written: the page's runs are not read again.
      let again: typeof first | undefined;
      const seen = await statementsOf(async () => {
        again = await t.store.searchRuns(QUERY);
      });
      expect(seen.filter((s) => readsColumns(s.sql))).toEqual([]);
      expect(again).toEqual(first);
      // Records handed out are not the kept rows: changing one changes no later answer.
      (again!.data[0] as { tags: Record<string, string> }).tags.mine = "x";
      expect((await t.store.searchRuns(QUERY)).data[0]!.tags).toEqual({});
      // Another connection sets a derived value of the top run, then logs a new run: the next
      // pages show both.
      await writer.setDerived(top.runId, { seen: 1 });
      const marked = await t.store.searchRuns(QUERY);
      expect(marked.data[0]).toMatchObject({ runId: top.runId, derived: { seen: 1 } });
      const run = await writer.startRun({ experiment: "e", params: { model: "b" } });
      await run.logMetrics({ acc: 0.99 });
      await run.finish();
      const withNew = await t.store.searchRuns(QUERY);
      expect(withNew.data[0]).toMatchObject({ runId: run.runId, metrics: { acc: 0.99 } });
      expect(withNew.data[1]).toMatchObject({ runId: top.runId, derived: { seen: 1 } });
      // This connection's own write (a deleted run) is seen at once too.
      await t.store.deleteRun(run.runId);
      expect((await t.store.searchRuns(QUERY)).data[0]!.runId).toBe(top.runId);
    } finally {
      await t.close();
    }
  });
});
