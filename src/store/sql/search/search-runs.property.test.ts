import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunRecord } from "../../../core/types.js";
import { matchesRun } from "../../../query/evaluate.js";
import { parseQuery } from "../../../query/parse.js";
import { printQuery, toJsonQuery } from "../../../query/print.js";
import { parseSort, sortRuns } from "../../../query/sort.js";
import { type FieldSpec, queryArb, sortArb, VALUES } from "../../../query/test-support/arbitraries.js";
import { stopBeating } from "../../heartbeat.js";
import { sweep, touch } from "../runs/liveness.js";
import type { SqlStore } from "../sql-store.js";
import {
  describeDialects,
  PROPERTY_RUNS,
  PROPERTY_TIMEOUT_MS,
  type TempStore,
  tempStore,
} from "../test-support/temp-store.js";

const SCALARS = VALUES.filter((v) => v !== null || true);
const scalar = fc.constantFrom(...SCALARS);
const numberArb = fc.constantFrom(
  0,
  1,
  -1,
  0.5,
  2,
  1e-3,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
);
const paramValue = fc.oneof({ arbitrary: scalar, weight: 6 }, fc.constant([1, 2]), fc.constant(new Date(0)));

const runArb = fc.record({
  name: fc.constantFrom(null, "x", "X", "run-b", "x' OR 1=1 --", "é", "a_b%\\x", "[dev]"),
  status: fc.constantFrom("success", "failed", "running", "crashed"),
  params: fc.record(
    {
      a: paramValue,
      b: paramValue,
      c: fc.record({ d: paramValue, e: paramValue }, { requiredKeys: [] }),
      "my key": paramValue,
    },
    { requiredKeys: [] },
  ),
  metrics: fc.record(
    { acc: numberArb, loss: numberArb, "my metric": numberArb, 精度: numberArb },
    { requiredKeys: [] },
  ),
  tags: fc.record(
    { baseline: fc.constant(""), stage: fc.constantFrom("dev", "prod", "x%", "") },
    { requiredKeys: [] },
  ),
  derived: fc.record(
    { score: paramValue, note: fc.oneof(scalar, fc.constant({ k: 1 })) },
    { requiredKeys: [] },
  ),
});

const FIELDS: FieldSpec[] = [
  { field: "name", values: "any" },
  { field: "status", values: "any" },
  { field: "status", values: ["running", "crashed", "success", "failed", "cancelled"] },
  { field: "experiment", values: "any" },
  { field: "duration_ms", values: "numbers" },
  { field: "finished_at", values: "numbers" },
  { field: "params.a", values: "any" },
  { field: "params.b", values: "any" },
  { field: "params.c.d", values: "any" },
  { field: "params.c", values: "any" },
  { field: "params.zz", values: "any" },
  { field: "metrics.acc", values: "any" },
  { field: "metrics.loss", values: "any" },
  { field: "metrics.my metric", values: "numbers" },
  { field: "metrics.精度", values: "numbers" },
  { field: "params.my key", values: "any" },
  { field: "derived.score", values: "any" },
  { field: "derived.note", values: "any" },
  { field: "tags", values: "strings" },
  { field: "tags.stage", values: "any" },
  { field: "tags.baseline", values: "any" },
];
const SORTABLE = [
  "name",
  "status",
  "created_at",
  "params.a",
  "params.c.d",
  "metrics.acc",
  "metrics.loss",
  "derived.score",
  "tags.stage",
  "finished_at",
];

type RunSpec = typeof runArb extends fc.Arbitrary<infer T> ? T : never;

let batch = 0;

async function load(store: SqlStore, runs: RunSpec[]): Promise<{ experiment: string; records: RunRecord[] }> {
  const experiment = `ds${batch++}`;
  const crashed: string[] = [];
  for (const r of runs) {
    const h = await store.startRun({ experiment, name: r.name ?? undefined, params: r.params, tags: r.tags });
    if (Object.keys(r.metrics).length) await h.logMetrics(r.metrics);
    await h.flush();
    if (Object.keys(r.derived).length) await store.setDerived(h.runId, r.derived);
    if (r.status === "success") await h.finish();
    else if (r.status === "failed") await h.fail(new Error("boom"));
    else if (r.status === "crashed") crashed.push(h.runId);
  }
  // Their writer "died" long ago: its heartbeat stops (else the store's timer would make them
  // `running` again during a slow data set's searches), heartbeats backdated, then the check
  // that marks them crashed.
  for (const runId of crashed) stopBeating(store, { runId });
  await touch(store.ctx, { runIds: crashed }, 0);
  await sweep(store.ctx, Date.now() - store.heartbeatTimeoutMs);
  return { experiment, records: await store.listRuns({ experiment }) };
}

describeDialects("searchRuns equals the reference evaluator (generated)", (dialect) => {
  let t: TempStore;
  let store: SqlStore;

  beforeAll(async () => {
    t = await tempStore("search-prop", dialect);
    store = t.store;
  });
  afterAll(() => t.close());

  it(
    "same runs in the same order, for both syntaxes",
    async () => {
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(runArb, { minLength: 4, maxLength: 14 }),
          fc.array(fc.tuple(queryArb(FIELDS), sortArb(SORTABLE)), { minLength: 60, maxLength: 60 }),
          async (runs, queries) => {
            const { experiment, records } = await load(store, runs);
            for (const [ast, sort] of queries) {
              const text = printQuery(ast);
              const json = toJsonQuery(ast);
              expect(parseQuery(text)).toEqual(ast);
              expect(parseQuery(json)).toEqual(ast);
              const expected = sortRuns(
                records.filter((r) => matchesRun(ast, r)),
                parseSort(sort),
              ).map((r) => r.runId);
              for (const filter of [text, json]) {
                const page = await store.searchRuns({ filter, sort, experiment, pageSize: 1000, fields: [] });
                expect(
                  page.data.map((r) => r.runId),
                  `${text} | sort ${sort}`,
                ).toEqual(expected);
                expect(page.pagination.totalResults).toBe(expected.length);
                cases++;
              }
            }
            // Every run changes (a derived value no query reads): the matches kept in order for
            // each query are brought up to date run by run (SQLite; PostgreSQL keeps nothing, and
            // its searches already read what was written).
            if (!store.ctx.runChanges) return;
            for (const r of records) await store.setDerived(r.runId, { touched: 1 });
            for (const [ast, sort] of queries.slice(0, 20)) {
              const text = printQuery(ast);
              const expected = sortRuns(
                records.filter((r) => matchesRun(ast, r)),
                parseSort(sort),
              ).map((r) => r.runId);
              const page = await store.searchRuns({
                filter: text,
                sort,
                experiment,
                pageSize: 1000,
                fields: [],
              });
              expect(
                page.data.map((r) => r.runId),
                `after writes: ${text} | sort ${sort}`,
              ).toEqual(expected);
            }
          },
        ),
        { numRuns: PROPERTY_RUNS[dialect] },
      );
      expect(cases).toBeGreaterThanOrEqual(PROPERTY_RUNS[dialect] * 120);
    },
    // SQLite searches a sixth more than the other property tests: the pass after the writes.
    PROPERTY_TIMEOUT_MS[dialect] * (dialect === "sqlite" ? 1.5 : 1),
  );
});
