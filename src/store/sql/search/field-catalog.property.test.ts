import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunRecord } from "../../../core/types.js";
import type { FieldInfo } from "../../search-methods.js";
import { flattenParams } from "../shared/encode.js";
import type { SqlStore } from "../sql-store.js";
import {
  describeDialects,
  PROPERTY_TIMEOUT_MS,
  type TempStore,
  tempStore,
} from "../test-support/temp-store.js";
import { CATALOG_VALUES } from "./field-catalog.js";

/** Generated stores per dialect (PostgreSQL's calls are round trips to a server process). */
const STORES = { sqlite: 12, postgres: 5 } as const;

type Leaf = { type: string; num: number | null; text: string | null };

/** Text in code point order (the stores' binary order), not JS's UTF-16 order. */
const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const nullsFirst = <T>(a: T | null, b: T | null, cmp: (x: T, y: T) => number) =>
  a === null ? (b === null ? 0 : -1) : b === null ? 1 : cmp(a, b);
const leafOrder = (a: Leaf, b: Leaf) =>
  byCodePoint(a.type, b.type) ||
  nullsFirst(a.num, b.num, (x, y) => x - y) ||
  nullsFirst(a.text, b.text, byCodePoint);

/** The catalog computed in JS from the runs as read back one by one. */
function reference(runs: RunRecord[]): FieldInfo[] {
  const fields = new Map<string, { runs: Set<string>; leaves: Leaf[] }>();
  const add = (field: string, runId: string, leaf: Leaf) => {
    const f = fields.get(field) ?? { runs: new Set(), leaves: [] };
    f.runs.add(runId);
    f.leaves.push(leaf);
    fields.set(field, f);
  };
  const text = (v: string | null): Leaf =>
    v === null ? { type: "null", num: null, text: null } : { type: "string", num: null, text: v };
  const time = (v: number | null): Leaf =>
    v === null ? { type: "null", num: null, text: null } : { type: "number", num: v, text: null };
  for (const r of runs) {
    add("name", r.runId, text(r.name));
    add("status", r.runId, text(r.status));
    add("experiment", r.runId, text(r.experimentName));
    add("version", r.runId, text(r.experimentVersion));
    add("created_at", r.runId, time(Date.parse(r.createdAt)));
    add("started_at", r.runId, time(r.startedAt === null ? null : Date.parse(r.startedAt)));
    add("finished_at", r.runId, time(r.finishedAt === null ? null : Date.parse(r.finishedAt)));
    add("duration_ms", r.runId, time(r.durationMs));
    for (const l of flattenParams(r.params)) add(`params.${l.path}`, r.runId, l);
    for (const [k, v] of Object.entries(r.metrics)) {
      add(
        `metrics.${k}`,
        r.runId,
        Number.isNaN(v) ? { type: "number", num: null, text: "NaN" } : { type: "number", num: v, text: null },
      );
    }
    for (const [k, v] of Object.entries(r.tags)) {
      add(`tags.${k}`, r.runId, text(v));
      add("tags", r.runId, text(k));
    }
  }
  const out: FieldInfo[] = [];
  for (const [field, f] of fields) {
    const types = [...new Set(f.leaves.map((l) => l.type))].sort(byCodePoint);
    const nums = f.leaves.filter((l) => l.type === "number" && l.num !== null).map((l) => l.num!);
    const texts = f.leaves
      .filter((l) => l.type === "string")
      .map((l) => l.text!)
      .sort(byCodePoint);
    const distinct = new Map<string, Leaf>();
    for (const l of f.leaves) if (l.type !== "array") distinct.set(JSON.stringify(l), l);
    const sorted = [...distinct.values()].sort(leafOrder);
    out.push({
      field,
      types,
      count: f.runs.size,
      values: sorted
        .slice(0, CATALOG_VALUES)
        .map((l) =>
          l.type === "null"
            ? null
            : l.type === "boolean"
              ? l.num === 1
              : l.type === "number"
                ? (l.num ?? Number.NaN)
                : l.text,
        ),
      valuesTruncated: sorted.length > CATALOG_VALUES,
      min: nums.length ? Math.min(...nums) : texts.length ? texts[0]! : null,
      max: nums.length ? Math.max(...nums) : texts.length ? texts[texts.length - 1]! : null,
    });
  }
  return out.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom("a", "b", "B", "é", "z", "😀", ""),
  fc.boolean(),
  fc.constant(null),
  fc.constant([1, 2]),
);
const run = fc.record({
  experiment: fc.constantFrom("x", "y"),
  name: fc.option(fc.constantFrom("r1", "r2", "R"), { nil: undefined }),
  params: fc.dictionary(
    fc.constantFrom("lr", "model", "opt"),
    fc.oneof(scalar, fc.record({ depth: scalar })),
  ),
  tags: fc.dictionary(fc.constantFrom("stage", "team"), fc.constantFrom("dev", "prod", "Ä")),
  metrics: fc.dictionary(
    fc.constantFrom("acc", "loss"),
    fc.oneof(
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.constant(Number.NaN),
      fc.integer({ min: 0, max: 3 }),
    ),
  ),
  end: fc.constantFrom("finish", "fail", "open"),
});
/** Mostly a few runs; sometimes many distinct values, past the catalog's limit. */
const workload = fc.record({ runs: fc.array(run, { minLength: 0, maxLength: 30 }), many: fc.boolean() });

describeDialects(
  "fieldCatalog equals the catalog computed in JS from the runs (generated stores)",
  (dialect) => {
    let t: TempStore;
    let store: SqlStore;
    beforeAll(async () => {
      t = await tempStore("catalog-prop", dialect);
      store = t.store;
    });
    afterAll(() => t.close());

    it(
      "same fields, types, counts, values, truncation, min and max, for the workspace and per experiment",
      async () => {
        await fc.assert(
          fc.asyncProperty(workload, async (w) => {
            const ids: string[] = [];
            for (const r of w.runs) {
              const h = await store.startRun({
                experiment: r.experiment,
                name: r.name,
                params: r.params,
                tags: r.tags,
              });
              if (Object.keys(r.metrics).length) await h.logMetrics(r.metrics);
              if (r.end === "finish") await h.finish();
              if (r.end === "fail") await h.fail(new Error("boom"));
              ids.push(h.runId);
            }
            if (w.many) {
              for (let i = 0; i < CATALOG_VALUES + 3; i++) {
                const h = await store.startRun({ experiment: "y", params: { lr: i / 7 } });
                ids.push(h.runId);
              }
            }
            const records = await Promise.all(ids.map((id) => store.getRun(id)));
            expect(await store.fieldCatalog()).toEqual(reference(records));
            for (const e of ["x", "y"]) {
              expect(await store.fieldCatalog({ experiment: e })).toEqual(
                reference(records.filter((r) => r.experimentName === e)),
              );
            }
            for (const id of ids) await store.deleteRun(id);
          }),
          { numRuns: STORES[dialect] },
        );
      },
      PROPERTY_TIMEOUT_MS[dialect],
    );
  },
);
