import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RowRecord } from "../../../core/types.js";
import { matchesRow } from "../../../query/evaluate.js";
import { parseQuery } from "../../../query/parse.js";
import { printQuery, toJsonQuery } from "../../../query/print.js";
import { parseSort, sortRows } from "../../../query/sort.js";
import { type FieldSpec, queryArb, sortArb } from "../../../query/test-support/arbitraries.js";
import type { MetricDefinitionInput } from "../../../scores/definitions.js";
import type { SqlStore } from "../sql-store.js";
import {
  describeDialects,
  PROPERTY_RUNS,
  PROPERTY_TIMEOUT_MS,
  type TempStore,
  tempStore,
} from "../test-support/temp-store.js";
import { selectRowPks } from "./row-filter.js";

const scalar = fc.constantFrom(
  0,
  1,
  -1,
  0.5,
  2,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  null,
  "x",
  "X",
  "a_b",
  "",
  "x' OR 1=1 --",
  "é",
  "100%",
);
const score = fc.constantFrom(0, 1, 0.5, 2, -1, Number.NaN, true, false, null, "good", "bad", "1", "true");
const json = fc.oneof(
  {
    arbitrary: fc.record(
      { q: scalar, n: scalar, nested: fc.record({ k: scalar }, { requiredKeys: [] }) },
      { requiredKeys: [] },
    ),
    weight: 4,
  },
  scalar,
  fc.constant([1, 2]),
);
const rowArb = fc.record({
  dp: fc.constantFrom("d0", "d1", "d2", "D3", "x%", "é"),
  trial: fc.constantFrom(0, 1, 2),
  item: json,
  output: json,
  scores: fc.record({ em: score, f1: score, label: score }, { requiredKeys: [] }),
});
const DEFS: MetricDefinitionInput[][] = [
  [],
  [{ name: "f1", kind: "range", threshold: { min: 0.5, max: 1.5 } }],
  [
    { name: "em", kind: "range", threshold: { passWhen: true } },
    { name: "label", kind: "rubric", threshold: { passingCategories: ["good", "1", "true", "NaN"] } },
  ],
];

const FIELDS: FieldSpec[] = [
  { field: "datapoint_id", values: "any" },
  { field: "trial", values: "any" },
  { field: "item", values: "any" },
  { field: "item.q", values: "any" },
  { field: "item.n", values: "any" },
  { field: "item.nested.k", values: "any" },
  { field: "output.q", values: "any" },
  { field: "output.zz", values: "any" },
  { field: "scores.em", values: "any" },
  { field: "scores.f1", values: "any" },
  { field: "scores.label", values: "any" },
  { field: "passed", values: "any" },
];
const SORTABLE = [
  "datapoint_id",
  "trial",
  "item.q",
  "item.n",
  "scores.f1",
  "scores.label",
  "passed",
  "output",
];

let batch = 0;

describeDialects("searchRows equals the reference evaluator (generated)", (dialect) => {
  let t: TempStore;
  let store: SqlStore;
  beforeAll(async () => {
    t = await tempStore("rows-prop", dialect);
    store = t.store;
  });
  afterAll(() => t.close());

  it(
    "same rows in the same order, for both syntaxes; selectRowPks the same set",
    async () => {
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(rowArb, { minLength: 3, maxLength: 18, selector: (r) => `${r.dp}/${r.trial}` }),
          fc.nat(DEFS.length - 1),
          fc.array(fc.tuple(queryArb(FIELDS), sortArb(SORTABLE)), { minLength: 60, maxLength: 60 }),
          async (rows, defIndex, queries) => {
            const experiment = `rows${batch++}`;
            await store.ensureExperiment({ name: experiment });
            for (const d of DEFS[defIndex]!) await store.defineMetric(experiment, d);
            const h = await store.startRun({ experiment });
            await h.logRows(
              rows.map((r) => ({
                datapointId: r.dp,
                trial: r.trial,
                item: r.item,
                output: r.output,
                scores: r.scores,
              })),
            );
            await h.finish();
            const stored: RowRecord[] = [];
            for await (const r of store.iterateRowRecords(h.runId)) stored.push(r);
            const thresholds = new Map(DEFS[defIndex]!.map((d) => [d.name, d.threshold!]));
            const runPk = Number(
              (
                await store.ctx.db
                  .selectFrom("runs")
                  .select("id")
                  .where("run_id", "=", h.runId)
                  .executeTakeFirstOrThrow()
              ).id,
            );
            const allPks = await selectRowPks(store.ctx, runPk, {});
            const keyOf = (r: { datapointId: string; trial: number }) => `${r.datapointId}/${r.trial}`;
            for (const [ast, sort] of queries) {
              const text = printQuery(ast);
              const json = toJsonQuery(ast);
              expect(parseQuery(text, "rows")).toEqual(ast);
              expect(parseQuery(json, "rows")).toEqual(ast);
              const matched = stored.filter((r) => matchesRow(ast, r, thresholds));
              const expected = sortRows(matched, parseSort(sort, "rows"), thresholds).map(keyOf);
              for (const filter of [text, json]) {
                const page = await store.searchRows(h.runId, { filter, sort, pageSize: 1000 });
                expect(page.data.map(keyOf), `${text} | sort ${sort}`).toEqual(expected);
                cases++;
              }
              const pks = await selectRowPks(store.ctx, runPk, text);
              expect(pks.length).toBe(expected.length);
              expect([...pks].every((pk, i) => i === 0 || pk > pks[i - 1]!)).toBe(true);
              expect([...pks].every((pk) => allPks.includes(pk))).toBe(true);
            }
          },
        ),
        { numRuns: PROPERTY_RUNS[dialect] },
      );
      expect(cases).toBeGreaterThanOrEqual(PROPERTY_RUNS[dialect] * 120);
    },
    PROPERTY_TIMEOUT_MS[dialect],
  );
});
