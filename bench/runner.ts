/**
 * Runner: 5,000 trivial runs (a grid of 5,000 configs; each run logs one metric) at
 * concurrency 2 through `runExperiment`, against two baselines measured in the same process:
 * calling the run function directly in a loop (no store), and the same logging through the
 * store's manual API (`startRun`, `logMetric`, `finish`) in a loop. Medians of 3.
 */
import { openStore } from "../src/index.js";
import { defineExperiment } from "../src/runner/define.js";
import { executeExperiment } from "../src/runner/run-experiment.js";
import type { Capture, RunContext } from "../src/runner/types.js";
import { fmt, median, seeded, tempDir } from "./util.js";

const RUNS = 5000;
const CONCURRENCY = 2;
const REPEAT = 3;

function workload(): number[] {
  const rnd = seeded(7);
  return Array.from({ length: RUNS }, (_, i) => i + Math.round(rnd() * 1e3) / 1e3);
}

const run = async ({ params, capture }: RunContext) => {
  await capture.metric("y", (params.x as number) * 2);
};

async function viaRunner(xs: number[]): Promise<number> {
  const t = tempDir("runner");
  const store = await openStore(t.dir);
  const experiment = defineExperiment({ name: "bench", version: "1.0.0", params: { x: xs }, run });
  const t0 = performance.now();
  const { counts } = await executeExperiment(experiment, {
    store,
    concurrency: CONCURRENCY,
    progress: false,
  });
  const ms = performance.now() - t0;
  if (counts.success !== RUNS)
    throw new Error(`expected ${RUNS} successful runs, got ${JSON.stringify(counts)}`);
  await store.close();
  t.remove();
  return ms;
}

async function directLoop(xs: number[]): Promise<number> {
  let sink = 0;
  const capture = {
    metric: async (_name: string, value: number) => {
      sink += value;
    },
  } as unknown as Capture;
  const signal = new AbortController().signal;
  const t0 = performance.now();
  for (const x of xs) {
    await run({
      params: { x },
      seed: 0,
      capture,
      signal,
      runId: "",
      tags: {},
      execution: undefined as never,
    });
  }
  const ms = performance.now() - t0;
  if (!Number.isFinite(sink)) throw new Error("unreachable");
  return ms;
}

async function manualApi(xs: number[]): Promise<number> {
  const t = tempDir("runner-manual");
  const store = await openStore(t.dir);
  const t0 = performance.now();
  for (const x of xs) {
    const handle = await store.startRun({
      experiment: "bench:1.0.0",
      params: { x },
      seed: 0,
      runId: "deterministic",
    });
    await handle.logMetric("y", x * 2);
    await handle.finish();
  }
  const ms = performance.now() - t0;
  await store.close();
  t.remove();
  return ms;
}

export default async function bench(): Promise<void> {
  const xs = workload();
  const runner: number[] = [];
  const direct: number[] = [];
  const manual: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    direct.push(await directLoop(xs));
    runner.push(await viaRunner(xs));
    manual.push(await manualApi(xs));
  }
  const r = median(runner);
  const d = median(direct);
  const m = median(manual);
  console.log(
    `workload: ${RUNS} trivial runs (1 metric each), concurrency ${CONCURRENCY}, median of ${REPEAT}`,
  );
  console.log(`runExperiment:               ${fmt(r)} ms  ${fmt((RUNS / r) * 1000, 0)} runs/s`);
  console.log(`direct loop (no store):      ${fmt(d, 2)} ms  ${fmt((RUNS / d) * 1000, 0)} runs/s`);
  console.log(
    `manual API loop (same store work, sequential): ${fmt(m)} ms  ${fmt((RUNS / m) * 1000, 0)} runs/s`,
  );
  console.log(
    `runner overhead per run vs direct call: ${fmt(((r - d) / RUNS) * 1000, 1)} us  (ratio ${fmt(r / d, 0)}x)`,
  );
  console.log(
    `runner overhead per run vs manual API:  ${fmt(((r - m) / RUNS) * 1000, 1)} us  (ratio ${fmt(r / m, 2)}x)`,
  );
}
