import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunRecord } from "../../../core/types.js";
import type { RunHandle } from "../../run-handle.js";
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
  version: fc.constantFrom("1.0.0", "2.0.0"),
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
/** Mostly a few runs; sometimes many distinct values, past the catalog's limit; then changes. */
const workload = fc.record({
  runs: fc.array(run, { minLength: 0, maxLength: 30 }),
  many: fc.boolean(),
  /** Per run: kept, deleted, replaced by another of the same id, or given new values. */
  changes: fc.array(fc.constantFrom("keep", "delete", "replace", "update"), { minLength: 40, maxLength: 40 }),
  replacement: run,
});

/**
 * The catalog after runs were deleted, replaced or changed: the same fields, types and counts;
 * min and max bound the values held; every value held is listed, or the list is cut before it.
 */
function expectConservative(got: FieldInfo[], want: FieldInfo[]): void {
  const strip = (fs: FieldInfo[]) => fs.map((f) => ({ field: f.field, types: f.types, count: f.count }));
  expect(strip(got)).toEqual(strip(want));
  const key = (v: unknown) => (typeof v === "number" && Number.isNaN(v) ? "NaN" : JSON.stringify(v));
  for (const [i, w] of want.entries()) {
    const g = got[i]!;
    const at = `${w.field}: ${JSON.stringify(g)} against ${JSON.stringify(w)}`;
    if (typeof w.min === "number") {
      expect(g.min as number, at).toBeLessThanOrEqual(w.min);
      expect(g.max as number, at).toBeGreaterThanOrEqual(w.max as number);
    } else if (typeof w.min === "string" && typeof g.min === "string") {
      // (numbers win over strings: a number seen before stands in the range)
      expect(byCodePoint(g.min, w.min) <= 0, at).toBe(true);
      expect(byCodePoint(g.max as string, w.max as string) >= 0, at).toBe(true);
    } else if (typeof w.min === "string") expect(typeof g.min, at).toBe("number");
    const listed = new Set(g.values.map(key));
    const missing = w.values.filter((v) => !listed.has(key(v)));
    if (missing.length > 0)
      expect(g.valuesTruncated, `${at}: ${JSON.stringify(missing)} not listed`).toBe(true);
    if (w.valuesTruncated) expect(g.valuesTruncated, at).toBe(true);
  }
}

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
      "the same after writes; after deletions, replacements and changes the same fields, types and counts, and ranges and values that hold every value",
      async () => {
        let round = 0;
        await fc.assert(
          fc.asyncProperty(workload, async (w) => {
            // Experiments of their own per generated store: the catalog only widens after deletions.
            round++;
            const exp = (e: string) => `${e}${round}`;
            const open = new Map<string, RunHandle>();
            const start = async (r: (typeof w.runs)[number], runId?: string) => {
              const h = await store.startRun({
                experiment: `${exp(r.experiment)}:${r.version}`,
                name: r.name,
                params: r.params,
                tags: r.tags,
                ...(runId ? { runId, ifExists: "replace" as const } : {}),
              });
              if (Object.keys(r.metrics).length) await h.logMetrics(r.metrics);
              if (r.end === "finish") await h.finish();
              if (r.end === "fail") await h.fail(new Error("boom"));
              else if (r.end === "open") open.set(h.runId, h);
              else open.delete(h.runId);
              return h.runId;
            };
            let ids: string[] = [];
            for (const r of w.runs) ids.push(await start(r));
            if (w.many) {
              for (let i = 0; i < CATALOG_VALUES + 3; i++) {
                const h = await store.startRun({ experiment: `${exp("y")}:1.0.0`, params: { lr: i / 7 } });
                ids.push(h.runId);
              }
            }
            const check = async (exact: boolean) => {
              // An open run's writes wait in its handle: written now, not between the two reads.
              for (const h of open.values()) await h.flush().catch(() => undefined);
              const records = await Promise.all(ids.map((id) => store.getRun(id)));
              for (const e of ["x", "y", "x:1.0.0", "y:2.0.0"]) {
                const [name, version] = e.split(":") as [string, string | undefined];
                const want = reference(
                  records.filter(
                    (r) =>
                      r.experimentName === exp(name) &&
                      (version === undefined || r.experimentVersion === version),
                  ),
                );
                const got = await store.fieldCatalog({
                  experiment: version ? `${exp(name)}:${version}` : exp(name),
                });
                if (exact) expect(got).toEqual(want);
                else expectConservative(got, want);
              }
            };
            await check(true);
            const kept: string[] = [];
            for (const [i, id] of ids.entries()) {
              const change = w.changes[i % w.changes.length]!;
              const r = w.runs[i] ?? w.replacement;
              if (change === "delete") {
                await store.deleteRun(id);
                open.delete(id);
              } else if (change === "replace")
                kept.push(await start({ ...w.replacement, experiment: r.experiment }, id));
              else if (change === "update" && open.has(id)) {
                const h = open.get(id)!;
                await h.logMetrics({ acc: 5, loss: Number.NaN });
                await h.logParams({ extra: "e", lr: "changed" }, { replace: true });
                await h.setTags({ team: "new" });
                await h.finish();
                kept.push(id);
              } else kept.push(id);
            }
            ids = kept;
            await check(false);
            for (const id of ids) await store.deleteRun(id);
          }),
          { numRuns: STORES[dialect], endOnFailure: true },
        );
      },
      PROPERTY_TIMEOUT_MS[dialect],
    );
  },
);
