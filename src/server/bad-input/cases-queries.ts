import { expect } from "vitest";
import type { SearchPage, SearchRow, SearchRun } from "../../store/search-methods.js";
import { lit, longList, type Refusal, type Works } from "./cases.js";

const N = 5000;
const CAT = "cat:1.0.0";

/** 5,000 ids of which only 3 and 7 exist. */
const ids = longList(N, (i) => 1000 + i, [3, 7]);
/** 5,000 datapoint ids of which only d1, d2 and d5 exist. */
const dps = longList(N, (i) => `z${i}`, ["d1", "d2", "d5"]);
const inIds = `params.id in (${ids.map(lit).join(", ")})`;
const inDps = `datapoint_id in (${dps.map(lit).join(", ")})`;

const idsOf = (page: SearchPage<SearchRun>) => page.data.map((r) => r.params?.id).sort();
const dpsOf = (page: SearchPage<SearchRow>) => page.data.map((r) => r.datapointId).sort();

/** Filters of thousands of values work: one bound array, whatever the count, in every call that filters. */
export const LONG_LISTS: Works[] = [
  {
    name: "runs: `in` with 5,000 values (string syntax), page and count",
    call: (s) => s.searchRuns({ experiment: CAT, filter: inIds }),
    check: (p: SearchPage<SearchRun>) => {
      expect(idsOf(p)).toEqual([3, 7]);
      expect(p.pagination.totalResults).toBe(2);
    },
  },
  {
    name: "runs: $in with 5,000 values (JSON), and $nin",
    call: async (s) => [
      await s.searchRuns({ experiment: CAT, filter: { "params.id": { $in: ids } } }),
      await s.searchRuns({ experiment: CAT, filter: { "params.id": { $nin: ids, $exists: true } } }),
    ],
    check: ([hit, miss]: SearchPage<SearchRun>[]) => {
      expect(idsOf(hit!)).toEqual([3, 7]);
      expect(miss!.pagination.totalResults).toBe(18);
    },
  },
  {
    name: "runs: 5,000 strings, numbers and tag keys",
    call: async (s) => [
      await s.searchRuns({
        experiment: CAT,
        filter: { "tags.k": { $in: longList(N, (i) => `w${i}`, ["v3", "v7"]) } },
      }),
      await s.searchRuns({
        experiment: CAT,
        filter: { "metrics.acc": { $in: longList(N, (i) => 2 + i, [0.15, 0.35]) } },
      }),
      await s.searchRuns({ experiment: CAT, filter: { tags: { $in: longList(N, (i) => `t${i}`, ["k"]) } } }),
    ],
    check: ([tag, acc, keys]: SearchPage<SearchRun>[]) => {
      expect(idsOf(tag!)).toEqual([3, 7]);
      expect(idsOf(acc!)).toEqual([3, 7]);
      expect(keys!.pagination.totalResults).toBe(20);
    },
  },
  {
    name: "rows: `in` with 5,000 values, both syntaxes, page and count",
    call: async (s, w) => [
      await s.searchRows(w.rowsRunId, { filter: inDps }),
      await s.searchRows(w.rowsRunId, {
        filter: { "item.n": { $in: longList(N, (i) => 100 + i, [1, 2, 5]) } },
      }),
    ],
    check: ([a, b]: SearchPage<SearchRow>[]) => {
      expect(dpsOf(a!)).toEqual(["d1", "d2", "d5"]);
      expect(a!.pagination.totalResults).toBe(3);
      expect(dpsOf(b!)).toEqual(["d1", "d2", "d5"]);
    },
  },
  {
    name: "aggregates and comparisons filtered by 5,000 values",
    call: async (s, w) => ({
      runs: await s.aggregateRuns({ experiment: CAT, metrics: ["acc"], filter: inIds }),
      rows: await s.aggregateScores(w.rowsRunId, { filter: inDps }),
      groups: await s.compareGroups(
        inIds,
        { "params.id": { $in: longList(N, (i) => 1000 + i, [4, 8]) } },
        {
          metrics: ["acc"],
        },
      ),
    }),
    check: (r: {
      runs: { groups: { runs: number; metrics: Record<string, { count: number }> }[] };
      rows: { rows: number };
      groups: { runsA: number; runsB: number };
    }) => {
      expect(r.runs.groups.map((g) => [g.runs, g.metrics.acc?.count])).toEqual([[2, 2]]);
      expect(r.rows.rows).toBe(3);
      expect([r.groups.runsA, r.groups.runsB]).toEqual([2, 2]);
    },
  },
  {
    name: "at the limits: 500 conditions, 64 levels of nesting, both at once",
    call: async (s) => {
      const terms = (n: number) =>
        Array.from({ length: n }, (_, i) => `metrics.acc > -${i + 1}`).join(" and ");
      const nested = `${"not ".repeat(64)}metrics.acc >= 0`;
      return [
        await s.searchRuns({ experiment: CAT, filter: terms(500) }),
        await s.searchRuns({ experiment: CAT, filter: nested }),
        await s.searchRuns({ experiment: CAT, filter: `${terms(499)} and ${nested}` }),
      ];
    },
    check: (pages: SearchPage<SearchRun>[]) => {
      expect(pages.map((p) => p.pagination.totalResults)).toEqual([20, 20, 20]);
    },
  },
];

const andTerms = (n: number) => Array.from({ length: n }, (_, i) => `metrics.acc > -${i + 1}`).join(" and ");
const TOO_MANY = /filter: expected at most 500 conditions: the limit .*; received 1000 conditions/;
const TOO_DEEP = /filter.*: expected at most 64 levels of nesting .*: the limit; received level 65/;
/** `{"$not": {"$not": ... {"metrics.acc": {"$gt": 0}}}}`, `depth` levels. */
function nestedNot(depth: number): Record<string, unknown> {
  let q: Record<string, unknown> = { "metrics.acc": { $gt: 0 } };
  for (let i = 0; i < depth; i++) q = { $not: q };
  return q;
}

/** Filters past the limits: refused naming the limit and the value, never a database error. */
export const QUERY_LIMITS: Refusal[] = [
  {
    name: "runs: 1,000 `and` terms",
    call: (s) => s.searchRuns({ filter: andTerms(1000) }),
    message: TOO_MANY,
  },
  {
    name: "runs: 1,000 conditions in $and",
    call: (s) =>
      s.searchRuns({
        filter: { $and: Array.from({ length: 1000 }, (_, i) => ({ "metrics.acc": { $ne: i + 2 } })) },
      }),
    message: TOO_MANY,
  },
  {
    name: "runs: 3,000 nested `not`",
    call: (s) => s.searchRuns({ filter: `${"not ".repeat(3000)}metrics.acc > 0` }),
    message: /filter at position 256: expected at most 64 levels of nesting/,
  },
  {
    name: "runs: 100 nested $not",
    call: (s) => s.searchRuns({ filter: nestedNot(100) }),
    message: TOO_DEEP,
  },
  {
    name: "runs: 100,000 nested parentheses",
    call: (s) => s.searchRuns({ filter: `${"(".repeat(100_000)}metrics.acc > 0${")".repeat(100_000)}` }),
    message: /filter at position 64: expected at most 64 levels of nesting/,
  },
  {
    name: "rows: 1,000 `and` terms",
    call: (s, w) =>
      s.searchRows(w.rowsRunId, { filter: andTerms(1000).replaceAll("metrics.acc", "scores.em") }),
    message: TOO_MANY,
  },
  {
    name: "aggregateRuns: 3,000 nested `not`",
    call: (s) => s.aggregateRuns({ metrics: ["acc"], filter: `${"not ".repeat(3000)}metrics.acc > 0` }),
    message: /filter at position 256: expected at most 64 levels of nesting/,
  },
  {
    name: "aggregateScores: 1,000 `and` terms",
    call: (s, w) =>
      s.aggregateScores(w.rowsRunId, { filter: andTerms(1000).replaceAll("metrics.acc", "scores.em") }),
    message: TOO_MANY,
  },
];
