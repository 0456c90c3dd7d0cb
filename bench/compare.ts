/**
 * Compare: two runs of 100,000 datapoints, each with 3 continuous scores (one lower-is-better)
 * and 1 pass/fail score; `store.compareRuns` with every figure (aggregates, counts and id
 * lists, paired tests, CIs, effect sizes, verdict), median of several calls. Baseline: the same
 * figures computed by `compareRunData` on per-datapoint Float64Arrays already in memory.
 * A second size, 5,000 datapoints, is the largest that uses the seeded bootstrap (above it the
 * CI is the t interval), so it shows the cost of the resampling figures.
 */
import { compareRunData } from "../src/compare/compare-runs.js";
import { checkCompareOptions } from "../src/compare/options.js";
import type { MetricSpec } from "../src/compare/types.js";
import { openStore, type RowInput, type Store } from "../src/index.js";
import { benchStores } from "./support/stores.js";
import { fmt, median, seeded, timeMedian } from "./util.js";

const REPEAT = 7;
const NAMES = ["bleu", "f1", "latency", "ok"] as const;
type Name = (typeof NAMES)[number];

/** A run's values: old and new differ a little (new is slightly better on f1, worse on latency). */
function workload(n: number, seed: number, shift: number) {
  const rnd = seeded(seed);
  const base = seeded(1); // the datapoints' own difficulty, shared by both runs
  const ids = Array.from({ length: n }, (_, i) => `dp-${String(i).padStart(6, "0")}`);
  const values = Object.fromEntries(NAMES.map((k) => [k, new Float64Array(n)])) as Record<Name, Float64Array>;
  for (let i = 0; i < n; i++) {
    const d = base();
    values.f1[i] = Math.min(1, Math.max(0, d + (rnd() - 0.5) * 0.2 + shift));
    values.bleu[i] = Math.min(1, Math.max(0, d * 0.8 + (rnd() - 0.5) * 0.3));
    values.latency[i] = 100 + d * 50 + rnd() * 20 + shift * 100;
    values.ok[i] = d + (rnd() - 0.5) * 0.3 + shift > 0.4 ? 1 : 0;
  }
  return { ids, values };
}

async function logRun(store: Store, data: ReturnType<typeof workload>): Promise<string> {
  const run = await store.startRun({ experiment: "cmp:1.0.0" });
  for (let from = 0; from < data.ids.length; from += 10_000) {
    const rows: RowInput[] = [];
    for (let i = from; i < Math.min(data.ids.length, from + 10_000); i++) {
      const v = data.values;
      rows.push({
        datapointId: data.ids[i]!,
        scores: { f1: v.f1[i]!, bleu: v.bleu[i]!, latency: v.latency[i]!, ok: v.ok[i] === 1 },
      });
    }
    await run.logRows(rows);
  }
  await run.finish();
  return run.runId;
}

async function measure(store: Store, n: number, details: boolean): Promise<void> {
  const t0 = performance.now();
  const oldData = workload(n, 11, 0);
  const newData = workload(n, 12, 0.01);
  const oldId = await logRun(store, oldData);
  const newId = await logRun(store, newData);
  const label = n.toLocaleString("en-US");
  console.log(`setup: 2 runs x ${label} datapoints logged in ${fmt((performance.now() - t0) / 1000)} s`);

  const specs: MetricSpec[] = NAMES.map((name) => ({
    name,
    kind: "range",
    direction: name === "latency" ? "lower" : "higher",
    compareBy: "value",
  }));
  const side = (runId: string, data: ReturnType<typeof workload>) => ({
    runId,
    datapointIds: data.ids,
    metrics: new Map(NAMES.map((k) => [k, { values: data.values[k], present: new Uint8Array(n).fill(1) }])),
  });
  const opts = checkCompareOptions({});
  const extra = { newOnlyMetrics: [], oldOnlyMetrics: [] };
  // Store and baseline alternate, so that load from elsewhere weighs on both alike.
  let result = await store.compareRuns(newId, oldId);
  let baseline = compareRunData(side(newId, newData), side(oldId, oldData), specs, opts, extra);
  const storeTimes: number[] = [];
  const memTimes: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    storeTimes.push(
      await timeMedian(1, async () => {
        result = await store.compareRuns(newId, oldId);
      }),
    );
    memTimes.push(
      await timeMedian(1, () => {
        baseline = compareRunData(side(newId, newData), side(oldId, oldData), specs, opts, extra);
      }),
    );
  }
  const storeMs = median(storeTimes);
  const memMs = median(memTimes);

  for (const name of NAMES) {
    const m = result.metrics[name]!;
    const b = baseline.metrics[name]!;
    if (m.test?.pValue !== b.test?.pValue || m.ci?.low !== b.ci?.low) {
      throw new Error(`store and in-memory figures differ for ${name}`);
    }
    if (!details) continue;
    const p = (v: number | null | undefined) => v?.toPrecision(3);
    console.log(
      `  ${name.padEnd(8)} delta ${p(m.delta)}  ${m.test?.name} p=${p(m.test?.pValue)}  ` +
        `ci [${p(m.ci?.low)}, ${p(m.ci?.high)}] (${m.ci?.method})  d=${p(m.effectSize)}  ` +
        `+${m.improvedCount} -${m.degradedCount} =${m.sameCount}`,
    );
  }
  if (details) console.log(`  verdict ${result.verdict}: ${result.reasons.join("; ")}`);
  const methods = [
    ...new Set(NAMES.map((k) => `${result.metrics[k]?.test?.name} / ${result.metrics[k]?.ci?.method}`)),
  ];
  console.log(
    `compareRuns ${label} datapoints (store, every figure): median ${fmt(storeMs)} ms  [${methods.join(", ")}]`,
  );
  console.log(`baseline (same figures on in-memory Float64Arrays): median ${fmt(memMs)} ms`);
  console.log(`ratio store / in-memory: ${fmt(storeMs / memMs, 2)}x`);
}

export default async function main(): Promise<void> {
  // SQLite, and PostgreSQL beside it with --store postgres[://...] (bench/support/stores.ts).
  const stores = await benchStores();
  try {
    for (const target of stores) {
      console.log(`\n-- ${target.label}`);
      const store = await openStore(await target.uri("compare"));
      try {
        await store.createExperiment({ name: "cmp", version: "1.0.0" });
        await store.defineMetric("cmp", { name: "latency", kind: "range", direction: "lower" });
        await measure(store, 100_000, true);
        console.log("target: 100,000 datapoints under 1,000 ms median");
        await measure(store, 5_000, false);
      } finally {
        await store.close();
      }
    }
  } finally {
    await stores.stop();
  }
}
