/**
 * The search workload shared by `bench/search.ts` and `bench/server.ts`: runs of a seeded sweep,
 * each logged through the public API (startRun, logMetrics, finish) as a user logs them, and the
 * query shapes users ask of them.
 */
import type { Store } from "../../src/index.js";
import type { SearchRunsQuery } from "../../src/store/search-methods.js";
import { seeded } from "../util.js";

/** One run of the sweep: 5 params and a nested optimizer, 5 metrics, a stage tag, a name. */
export function runInput(i: number, rnd: () => number) {
  const model = rnd() < 0.5 ? "a" : "b";
  const optimizer = rnd() < 0.5 ? "adam" : "sgd";
  const prod = rnd() < 0.1;
  return {
    start: {
      experiment: "search:1.0.0",
      name: `${model}-${optimizer}-${i}`,
      params: {
        lr: 10 ** -(1 + Math.floor(rnd() * 4)),
        model,
        depth: 1 + Math.floor(rnd() * 8),
        dropout: rnd() / 2,
        optimizer: { name: optimizer, beta1: 0.8 + rnd() / 5 },
      },
      tags: prod ? { stage: "prod" } : { stage: "dev" },
    },
    metrics: { acc: rnd(), loss: rnd() * 2, f1: rnd(), precision: rnd(), recall: rnd() },
  };
}

/** Logs run `i` of the sweep (seeded by `i`, so any process logs the same run). */
export async function logRun(store: Store, i: number): Promise<void> {
  const { start, metrics } = runInput(i, seeded(1_000_003 * (i + 1)));
  const run = await store.startRun(start);
  await run.logMetrics(metrics);
  await run.finish();
}

/** Logs runs `from` to `to - 1`, one at a time as a sweep does; resolves to runs per second. */
export async function fill(store: Store, from: number, to: number): Promise<number> {
  const t0 = performance.now();
  for (let i = from; i < to; i++) await logRun(store, i);
  return ((to - from) / (performance.now() - t0)) * 1000;
}

export const FILTER = 'metrics.acc > 0.5 and params.model = "b"';

/** The shapes measured, each as a first page of 50 with its pagination totals. */
export const SHAPES: { label: string; query: SearchRunsQuery }[] = [
  { label: "default order, params and metrics filter", query: { filter: FILTER } },
  { label: "sort by a metric (-metrics.acc)", query: { filter: FILTER, sort: "-metrics.acc" } },
  { label: "sort by a param (params.lr, 4 values)", query: { filter: FILTER, sort: "params.lr" } },
  { label: "tag filter", query: { filter: 'tags.stage = "prod"' } },
  {
    label: "nested params path",
    query: { filter: 'params.optimizer.name = "adam" and params.optimizer.beta1 > 0.9' },
  },
  {
    label: "or, in, not",
    query: { filter: '(params.model = "b" or params.depth in (1, 2)) and not tags.stage = "prod"' },
  },
  { label: "like on the name", query: { filter: 'name like "b-sgd-1%"' } },
  { label: "no filter", query: {} },
];
