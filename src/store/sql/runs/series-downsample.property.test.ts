import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DownsampledSeries, MetricSeries } from "../../../core/types.js";
import type { SqlStore } from "../sql-store.js";
import {
  describeDialects,
  PROPERTY_TIMEOUT_MS,
  type TempStore,
  tempStore,
} from "../test-support/temp-store.js";

/** Generated series per dialect (PostgreSQL's calls are round trips to a server process). */
const SERIES = { sqlite: 40, postgres: 15 } as const;

/** The downsampling computed in JS from the whole series: buckets of equal step width. */
function reference(s: MetricSeries, maxPoints: number): DownsampledSeries {
  const n = s.steps.length;
  const lo = n ? Math.min(...s.steps) : 0;
  const range = (n ? Math.max(...s.steps) : 0) - lo + 1;
  const width = n <= maxPoints ? 1 : Math.max(1, Math.ceil(range / maxPoints));
  const buckets = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const b = Math.floor((s.steps[i]! - lo) / width);
    const list = buckets.get(b) ?? [];
    list.push(i);
    buckets.set(b, list);
  }
  const out: DownsampledSeries = {
    totalPoints: n,
    downsampled: width > 1 || [...buckets.values()].some((l) => l.length > 1),
    steps: [],
    lastSteps: [],
    timestamps: [],
    values: [],
    min: [],
    max: [],
    counts: [],
    nanCounts: [],
  };
  for (const [, idx] of [...buckets].sort((a, b) => a[0] - b[0])) {
    const vals = idx.map((i) => s.values[i]!).filter((v) => !Number.isNaN(v));
    out.steps.push(Math.min(...idx.map((i) => s.steps[i]!)));
    out.lastSteps.push(Math.max(...idx.map((i) => s.steps[i]!)));
    out.timestamps.push(Math.min(...idx.map((i) => s.timestamps[i]!)));
    out.values.push(vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null);
    out.min.push(vals.length ? Math.min(...vals) : null);
    out.max.push(vals.length ? Math.max(...vals) : null);
    out.counts.push(idx.length);
    out.nanCounts.push(idx.length - vals.length);
  }
  return out;
}

const value = fc.oneof(
  { arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }), weight: 12 },
  { arbitrary: fc.constant(Number.NaN), weight: 2 },
  { arbitrary: fc.constant(Number.POSITIVE_INFINITY), weight: 1 },
  { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 3 },
);
/** Steps in order from an offset, with gaps and repeats (a step logged twice keeps both points). */
const series = fc.record({
  offset: fc.constantFrom(0, 1, 17, 1_000_000_007, 2 ** 40),
  gaps: fc.array(
    fc.oneof(
      { arbitrary: fc.constant(1), weight: 8 },
      { arbitrary: fc.constant(0), weight: 1 },
      { arbitrary: fc.integer({ min: 2, max: 50 }), weight: 1 },
    ),
    { minLength: 0, maxLength: 2500, size: "max" },
  ),
  values: fc.array(value, { minLength: 2500, maxLength: 2500 }),
  maxPoints: fc.array(fc.integer({ min: 2, max: 400 }), { minLength: 3, maxLength: 3 }),
});

describeDialects("downsampleSeries equals buckets computed in JS (generated series)", (dialect) => {
  let t: TempStore;
  let store: SqlStore;
  beforeAll(async () => {
    t = await tempStore("downsample-prop", dialect);
    store = t.store;
  });
  afterAll(() => t.close());

  it(
    "same buckets: steps, times, counts, NaN counts, min and max exact; means to rounding",
    async () => {
      let dense = 0;
      let sparse = 0;
      await fc.assert(
        fc.asyncProperty(series, async (g) => {
          const run = await store.startRun({ experiment: "ds" });
          let step = g.offset;
          const t0 = Date.UTC(2026, 0, 1);
          g.gaps.forEach((gap, i) => {
            step += gap;
            // times not in step order within a repeated step: the bucket keeps the smallest
            void run.logMetric("m", g.values[i]!, { step, timestamp: t0 + ((i * 7919) % 1000) });
          });
          await run.finish();
          const whole = await store.getSeries(run.runId, "m");
          for (const maxPoints of g.maxPoints) {
            const got = await store.downsampleSeries(run.runId, "m", { maxPoints });
            const want = reference(whole, maxPoints);
            const { values: gotMeans, ...gotRest } = got;
            const { values: wantMeans, ...wantRest } = want;
            expect(gotRest).toEqual(wantRest);
            gotMeans.forEach((m, i) => {
              const w = wantMeans[i];
              if (m === null || w === null || !Number.isFinite(w)) expect(m).toBe(w);
              else expect(Math.abs(m - w!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(w!)));
            });
            if (got.totalPoints >= 8 * got.counts.length && got.counts.length > 0) dense++;
            else sparse++;
          }
          await store.deleteRun(run.runId);
        }),
        { numRuns: SERIES[dialect] },
      );
      // both ways of reading buckets were compared
      expect(dense).toBeGreaterThan(5);
      expect(sparse).toBeGreaterThan(5);
    },
    PROPERTY_TIMEOUT_MS[dialect],
  );
});
