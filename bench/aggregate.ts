/**
 * Aggregates, two workloads:
 *
 * 1. One run of 1,000,000 rows with 3 range scores (uniform, normal with 0.1% NaN, integers
 *    0-96) and 1 rubric score with 5 categories, logged through the public API in batches of
 *    100,000 rows. `store.aggregateScores(runId)` with every figure (moments, 9 percentiles,
 *    20-bin histograms, rubric distribution and mode) against the same figures computed in
 *    process over the same values already in memory as Float64Arrays (and Int32 category
 *    codes). Targets: median under 400 ms, at most 4x the in-memory computation.
 * 2. 10,000 runs (params lr x model, one metric `acc`): `store.aggregateRuns` grouped by
 *    `params.lr` and `params.model`, count/mean/std/p50/p95 of `acc`, against a plain
 *    in-process grouping of the same values. Target: median under 100 ms.
 *
 * Each on SQLite, and on PostgreSQL beside it with `--store postgres[://...]`; `--rows N` and
 * `--runs N` change the sizes.
 */
import { openStore, type Store } from "../src/index.js";
import { describeValues } from "../src/stats/descriptive.js";
import { categoryDistribution, modeCategory } from "../src/stats/rubric.js";
import { type BenchTarget, benchStores, option } from "./support/stores.js";
import { fmt, seeded, timeMedian } from "./util.js";

const ROWS = Number(option("rows", "1000000"));
const BATCH = 100_000;
const RUNS = Number(option("runs", "10000"));
const REPEAT = 7;
const CATEGORIES = ["excellent", "good", "fair", "poor", "bad"];
const PERCENTILES = [1, 5, 10, 25, 50, 75, 90, 95, 99];

interface RowWorkload {
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  r: Int32Array;
}

function rowWorkload(): RowWorkload {
  const rnd = seeded(7);
  const w: RowWorkload = {
    a: new Float64Array(ROWS),
    b: new Float64Array(ROWS),
    c: new Float64Array(ROWS),
    r: new Int32Array(ROWS),
  };
  for (let i = 0; i < ROWS; i++) {
    w.a[i] = rnd();
    // Box-Muller normal, with one NaN per thousand rows
    w.b[i] =
      i % 1000 === 999 ? Number.NaN : Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    w.c[i] = Math.floor(rnd() * 97);
    // skewed categories: 40% / 25% / 15% / 12% / 8%
    const u = rnd();
    w.r[i] = u < 0.4 ? 0 : u < 0.65 ? 1 : u < 0.8 ? 2 : u < 0.92 ? 3 : 4;
  }
  return w;
}

async function logRowWorkload(store: Store, w: RowWorkload): Promise<string> {
  const run = await store.startRun({ experiment: "agg-bench" });
  for (let at = 0; at < ROWS; at += BATCH) {
    const rows = [];
    for (let i = at; i < at + BATCH; i++) {
      rows.push({
        datapointId: `d${i}`,
        scores: { a: w.a[i]!, b: w.b[i]!, c: w.c[i]!, r: CATEGORIES[w.r[i]!]! },
      });
    }
    await run.logRows(rows);
    await run.flush();
  }
  await run.finish();
  return run.runId;
}

/** The same figures, computed in process over the arrays already in memory. */
function inMemory(w: RowWorkload): unknown[] {
  const figures = { percentiles: PERCENTILES, bins: 20 };
  const out: unknown[] = [
    describeValues(w.a, figures),
    describeValues(w.b, figures),
    describeValues(w.c, figures),
  ];
  const counts = new Float64Array(CATEGORIES.length);
  for (let i = 0; i < w.r.length; i++) counts[w.r[i]!]!++;
  const distribution = categoryDistribution(new Map(CATEGORIES.map((c, k) => [c, counts[k]!])));
  out.push({ count: w.r.length, distribution, modeCategory: modeCategory(distribution) });
  return out;
}

async function scoresPart(target: BenchTarget): Promise<void> {
  const store = await openStore(await target.uri("aggregate"));
  try {
    const w = rowWorkload();
    const t0 = performance.now();
    const runId = await logRowWorkload(store, w);
    console.log(
      `workload: 1 run, ${ROWS.toLocaleString("en-US")} rows, 3 range + 1 rubric score; logged in ${fmt((performance.now() - t0) / 1000)} s`,
    );
    const first = await store.aggregateScores(runId);
    const mean = first.scores.find((s) => s.name === "a");
    console.log(`check: rows ${first.rows}, a.mean ${mean && "mean" in mean ? mean.mean : "?"}`);
    const storeMs = await timeMedian(REPEAT, async () => {
      await store.aggregateScores(runId);
    });
    const memMs = await timeMedian(REPEAT, () => {
      inMemory(w);
    });
    console.log(`aggregateScores, every figure (median of ${REPEAT}): ${fmt(storeMs)} ms   target < 400 ms`);
    console.log(`same figures over Float64Arrays in memory:       ${fmt(memMs)} ms`);
    console.log(`ratio store/in-memory: ${fmt(storeMs / memMs, 2)}x   target <= 4x`);
  } finally {
    await store.close();
  }
}

async function runsPart(target: BenchTarget): Promise<void> {
  const store = await openStore(await target.uri("aggregate_runs"));
  try {
    const rnd = seeded(11);
    const lrs = [0.1, 0.03, 0.01, 0.001];
    const models = ["small", "base", "large"];
    const data = Array.from({ length: RUNS }, () => ({
      lr: lrs[Math.floor(rnd() * lrs.length)]!,
      model: models[Math.floor(rnd() * models.length)]!,
      acc: rnd(),
    }));
    await store.createExperiment({ name: "sweep" });
    const t0 = performance.now();
    for (const d of data) {
      const run = await store.startRun({ experiment: "sweep", params: { lr: d.lr, model: d.model } });
      await run.logMetrics({ acc: d.acc });
      await run.finish();
    }
    console.log(
      `\nworkload: ${RUNS.toLocaleString("en-US")} runs (lr x model, metric acc); logged in ${fmt((performance.now() - t0) / 1000)} s`,
    );
    const options = {
      experiment: "sweep",
      metrics: ["acc"],
      groupBy: ["params.lr", "params.model"],
      percentiles: [50, 95],
      fields: ["count" as const, "mean" as const, "stdDev" as const, "percentiles" as const],
    };
    const r = await store.aggregateRuns(options);
    console.log(`check: ${r.groups.length} groups, ${r.groups.reduce((n, g) => n + g.runs, 0)} runs`);
    const storeMs = await timeMedian(REPEAT * 2, async () => {
      await store.aggregateRuns(options);
    });
    const memMs = await timeMedian(REPEAT * 2, () => {
      const groups = new Map<string, number[]>();
      for (const d of data) {
        const k = `${d.lr}\u0000${d.model}`;
        const list = groups.get(k) ?? [];
        list.push(d.acc);
        groups.set(k, list);
      }
      for (const list of groups.values()) {
        describeValues(Float64Array.from(list), { percentiles: [50, 95], fields: new Set(options.fields) });
      }
    });
    console.log(
      `aggregateRuns, 2 group keys, mean/std/p50/p95 (median of ${REPEAT * 2}): ${fmt(storeMs)} ms   target < 100 ms`,
    );
    console.log(`same grouping over the values in memory: ${fmt(memMs, 2)} ms`);
    console.log(`ratio store/in-memory: ${fmt(storeMs / memMs, 1)}x`);
  } finally {
    await store.close();
  }
}

export default async function run(): Promise<void> {
  // SQLite, and PostgreSQL beside it with --store postgres[://...] (bench/support/stores.ts).
  const stores = await benchStores();
  try {
    for (const target of stores) {
      console.log(`\n-- ${target.label}`);
      await scoresPart(target);
      await runsPart(target);
    }
  } finally {
    await stores.stop();
  }
}
