import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLabbookError } from "../../../core/errors.js";
import type { SearchRun } from "../../search-methods.js";
import type { SqlStore } from "../sql-store.js";
import { describeDialects, type TempStore, tempStore } from "../test-support/temp-store.js";
import { selectRowPks } from "./row-filter.js";
import { selectRunPks } from "./run-filter.js";

describeDialects("search", (dialect) => {
  let t: TempStore;
  let store: SqlStore;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await tempStore("search", dialect);
    store = t.store;
    for (let i = 0; i < 23; i++) {
      const run = await store.startRun({
        experiment: i < 20 ? "sweep" : "other",
        name: i === 3 ? "x' OR 1=1 --" : `run-${i}`,
        params: { model: i % 2 ? "a" : "b", lr: i / 100, opt: { depth: i % 4 } },
        tags: i % 3 === 0 ? ["baseline"] : { stage: "dev" },
      });
      await run.logMetrics({ acc: ((i * 7) % 10) / 10, loss: 1 - i / 23 });
      await run.logMetric("curve", i, { step: 0 });
      await run.logMetric("curve", i + 1, { step: 1 });
      await run.logRows(
        Array.from({ length: 5 }, (_, k) => ({
          datapointId: `d${k}`,
          item: { k },
          scores: { em: k % 2, f1: k / 4 },
        })),
      );
      await run.finish();
      ids.push(run.runId);
    }
  });
  afterAll(() => t.close());

  async function invalid(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (e) {
      expect(isLabbookError(e, "INVALID_ARGUMENT")).toBe(true);
      return (e as Error).message;
    }
    throw new Error("expected INVALID_ARGUMENT");
  }

  describe("searchRuns", () => {
    it("pages with totals, in the sort's order, nulls last", async () => {
      const all = await store.searchRuns({
        filter: 'experiment = "sweep"',
        sort: "-metrics.acc",
        pageSize: 1000,
      });
      expect(all.pagination).toEqual({ page: 1, pageSize: 1000, totalPages: 1, totalResults: 20 });
      const accs = all.data.map((r) => r.metrics!.acc!);
      expect(accs).toEqual([...accs].sort((a, b) => b - a));
      const p2 = await store.searchRuns({
        filter: 'experiment = "sweep"',
        sort: "-metrics.acc",
        page: 2,
        pageSize: 6,
      });
      expect(p2.pagination).toEqual({ page: 2, pageSize: 6, totalPages: 4, totalResults: 20 });
      expect(p2.data.map((r) => r.runId)).toEqual(all.data.slice(6, 12).map((r) => r.runId));
      const beyond = await store.searchRuns({ page: 9, pageSize: 6 });
      expect(beyond.data).toEqual([]);
      expect(beyond.pagination.totalResults).toBe(23);
      expect(beyond.nextCursor).toBeNull();
    });

    it("walks every page with the keyset cursor, equal to the offset pages", async () => {
      for (const sort of [undefined, "-metrics.acc", "params.model,-metrics.loss", "name"]) {
        const full = (await store.searchRuns({ sort, pageSize: 1000, fields: [] })).data.map((r) => r.runId);
        const walked: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        for (;;) {
          const page = await store.searchRuns({ sort, pageSize: 4, cursor, fields: [] });
          pages++;
          expect(page.pagination.page).toBe(pages);
          expect(page.pagination.totalResults).toBe(23);
          walked.push(...page.data.map((r) => r.runId));
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
        expect(walked).toEqual(full);
        expect(pages).toBe(6);
      }
    });

    it("refuses a cursor of another query, a bad page size, a bad sort and bad fields", async () => {
      const first = await store.searchRuns({ sort: "-metrics.acc", pageSize: 2 });
      expect(
        await invalid(store.searchRuns({ sort: "metrics.acc", pageSize: 2, cursor: first.nextCursor! })),
      ).toMatch(/cursor: belongs to another query/);
      expect(await invalid(store.searchRuns({ cursor: "garbage" }))).toMatch(/^cursor: must be a nextCursor/);
      expect(await invalid(store.searchRuns({ pageSize: 1001 }))).toMatch(
        /^pageSize: must be an integer from 1 to 1000/,
      );
      expect(await invalid(store.searchRuns({ page: 0 }))).toMatch(/^page: must be an integer of at least 1/);
      expect(await invalid(store.searchRuns({ sort: "-tags" }))).toMatch(
        /^sort\[0\]: expected a field with one value/,
      );
      expect(await invalid(store.searchRuns({ sort: "acc" }))).toMatch(
        /^sort\[0\]: expected a field \(run_id/,
      );
      expect(await invalid(store.searchRuns({ fields: ["metric"] as never }))).toMatch(
        /^fields\[0\]: must be params/,
      );
      expect(await invalid(store.searchRuns({ filter: "metrics.acc >" }))).toMatch(
        /^filter at position 13: expected a value/,
      );
    });

    it("matches an injection attempt as a plain value", async () => {
      const page = await store.searchRuns({ filter: `name = "x' OR 1=1 --"` });
      expect(page.data.map((r) => r.runId)).toEqual([ids[3]]);
      expect((await store.searchRuns({ filter: { name: "x' OR 1=1 --" } })).data.length).toBe(1);
      expect((await store.searchRuns({ filter: `name like "%' OR 1=1 --%"` })).data.length).toBe(1);
      expect(
        (await store.searchRuns({ filter: `name = "x' OR 1=1 --" or name = "' OR ''='"` })).data.length,
      ).toBe(1);
    });

    it("loads only the parts `fields` asks for", async () => {
      const bare = (await store.searchRuns({ fields: [], pageSize: 1 })).data[0] as SearchRun;
      expect(bare.params).toBeUndefined();
      expect(bare.metrics).toBeUndefined();
      expect(bare.derived).toBeUndefined();
      expect(bare.series).toBeUndefined();
      expect(bare.tags).toBeDefined();
      const some = (await store.searchRuns({ fields: ["metrics.acc", "series.curve"], pageSize: 1 }))
        .data[0]!;
      expect(Object.keys(some.metrics!)).toEqual(["acc"]);
      expect(some.series!.curve!.steps).toEqual([0, 1]);
      expect(some.params).toBeUndefined();
      const whole = (await store.searchRuns({ pageSize: 1 })).data[0]!;
      expect(whole).toEqual(await store.getRun(whole.runId));
    });

    it("carries non-finite metrics and derived values whole", async () => {
      const h = await store.startRun({ experiment: "odd", params: { x: 1 } });
      await h.logMetrics({
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        ninf: Number.NEGATIVE_INFINITY,
        tiny: 0.1 + 0.2,
      });
      await h.finish();
      await store.setDerived(h.runId, { arr: [1, Number.NaN], s: "x" });
      const [got] = (await store.searchRuns({ experiment: "odd" })).data;
      expect(got!.metrics).toEqual({
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        ninf: Number.NEGATIVE_INFINITY,
        tiny: 0.1 + 0.2,
      });
      expect(got!.derived).toEqual({ arr: [1, Number.NaN], s: "x" });
      expect(got).toEqual(await store.getRun(h.runId));
      await store.deleteRun(h.runId);
    });

    it("filters by experiment, with either syntax", async () => {
      const text = await store.searchRuns({
        filter: 'params.model = "b" and tags in ("baseline")',
        experiment: "sweep",
      });
      const json = await store.searchRuns({
        filter: { "params.model": "b", tags: { $in: ["baseline"] } },
        experiment: "sweep:0.1.0",
      });
      expect(text.data.map((r) => r.runId)).toEqual(json.data.map((r) => r.runId));
      expect(text.pagination.totalResults).toBe(4); // i in 0, 6, 12, 18
    });
  });

  describe("iterateRuns", () => {
    it("yields every match once, in order, page after page", async () => {
      const seen: string[] = [];
      for await (const r of store.iterateRuns({
        filter: "metrics.loss > 0.2",
        sort: "-metrics.loss",
        pageSize: 3,
        fields: [],
      })) {
        seen.push(r.runId);
      }
      const expected = (
        await store.searchRuns({ filter: "metrics.loss > 0.2", sort: "-metrics.loss", pageSize: 1000 })
      ).data;
      expect(seen).toEqual(expected.map((r) => r.runId));
      expect(seen.length).toBe(19); // 1 - i / 23 > 0.2 for i = 0..18
    });
  });

  describe("searchRows, selectRunPks, selectRowPks", () => {
    it("pages a run's rows", async () => {
      const page = await store.searchRows(ids[0]!, {
        filter: "scores.em = 0",
        sort: "-scores.f1",
        pageSize: 2,
      });
      expect(page.pagination).toEqual({ page: 1, pageSize: 2, totalPages: 2, totalResults: 3 });
      expect(page.data.map((r) => r.datapointId)).toEqual(["d4", "d2"]);
      const next = await store.searchRows(ids[0]!, {
        filter: "scores.em = 0",
        sort: "-scores.f1",
        pageSize: 2,
        cursor: page.nextCursor!,
      });
      expect(next.data.map((r) => r.datapointId)).toEqual(["d0"]);
      expect(next.nextCursor).toBeNull();
      await expect(store.searchRows("nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await invalid(store.searchRows(ids[0]!, { filter: "metrics.acc > 1" }))).toMatch(
        /expected a field \(datapoint_id/,
      );
    });

    it("judges `passed` by the metric definitions", async () => {
      await store.defineMetric("sweep", { name: "f1", kind: "range", threshold: { min: 0.5 } });
      const failed = await store.searchRows(ids[1]!, { filter: "not passed" });
      expect(failed.data.map((r) => [r.datapointId, r.passed])).toEqual([
        ["d0", false],
        ["d1", false],
      ]);
    });

    it("selects internal keys, ascending", async () => {
      const pks = await selectRunPks(store.ctx, "metrics.acc >= 0.5", { experiment: "sweep" });
      expect(pks).toEqual([...pks].sort((a, b) => a - b));
      expect(pks.length).toBe(
        (await store.searchRuns({ filter: "metrics.acc >= 0.5", experiment: "sweep" })).pagination
          .totalResults,
      );
      expect((await selectRunPks(store.ctx, undefined)).length).toBe(23);
      const runPk = (await selectRunPks(store.ctx, { run_id: ids[2]! }))[0]!;
      const rows = await selectRowPks(store.ctx, runPk, { "scores.em": 1 });
      expect(rows).toBeInstanceOf(Float64Array);
      expect(rows.length).toBe(2);
      expect(rows[0]!).toBeLessThan(rows[1]!);
    });
  });

  describe("fieldCatalog", () => {
    it("describes every field path: types, runs having it, values, min and max", async () => {
      const cat = await store.fieldCatalog({ experiment: "sweep" });
      const by = new Map(cat.map((f) => [f.field, f]));
      expect(by.get("params.model")).toMatchObject({
        types: ["string"],
        count: 20,
        values: ["a", "b"],
        min: "a",
        max: "b",
      });
      expect(by.get("params.opt.depth")).toMatchObject({
        types: ["number"],
        count: 20,
        values: [0, 1, 2, 3],
        min: 0,
        max: 3,
      });
      expect(by.get("metrics.acc")).toMatchObject({ types: ["number"], count: 20, min: 0, max: 0.9 });
      expect(by.get("tags")).toMatchObject({ count: 20, values: ["baseline", "stage"] });
      expect(by.get("tags.stage")).toMatchObject({ count: 13, values: ["dev"] });
      expect(by.get("status")).toMatchObject({ values: ["success"] });
      expect(by.get("params.lr")!.values.length).toBe(20);
      expect((await store.fieldCatalog()).find((f) => f.field === "params.model")!.count).toBe(23);
    });

    it("keeps at most 100 distinct values", async () => {
      const c = await tempStore("catalog", dialect);
      const s = c.store;
      for (let i = 0; i < 120; i++) await (await s.startRun({ experiment: "many", params: { i } })).finish();
      const f = (await s.fieldCatalog()).find((x) => x.field === "params.i")!;
      expect(f.values.length).toBe(100);
      expect(f.valuesTruncated).toBe(true);
      expect([f.count, f.min, f.max]).toEqual([120, 0, 119]);
      await c.close();
    });
  });
});
