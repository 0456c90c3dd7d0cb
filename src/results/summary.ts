import { setOwn } from "../core/codec.js";
import { RUN_STATUSES, type RunStatus } from "../core/types.js";
import type { Run } from "./run.js";
import type { NumberStats, ResultsSummary } from "./types.js";

/**
 * Count, NaN count, mean, sample standard deviation, min and max of numbers (NaN left out of
 * all but the counts; null when no number is left).
 *
 * @example
 * numberStats([1, 2, NaN]) // { count: 3, nanCount: 1, mean: 1.5, std: 0.707.., min: 1, max: 2 }
 */
export function numberStats(values: readonly number[]): NumberStats {
  const xs = values.filter((v) => !Number.isNaN(v));
  const n = xs.length;
  if (n === 0)
    return { count: values.length, nanCount: values.length, mean: null, std: null, min: null, max: null };
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / n;
  let sq = 0;
  for (const x of xs) sq += (x - mean) ** 2;
  return {
    count: values.length,
    nanCount: values.length - n,
    mean,
    std: n > 1 ? Math.sqrt(sq / (n - 1)) : null,
    min,
    max,
  };
}

/** The median of numbers (null when empty). */
export function median(values: readonly number[]): number | null {
  const s = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Counts by status, duration statistics and per-metric statistics of runs. */
export function summarize(runs: readonly Run[]): ResultsSummary {
  const byStatus = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
  const durations: number[] = [];
  const metricValues = new Map<string, number[]>();
  for (const run of runs) {
    byStatus[run.status] += 1;
    if (run.durationMs !== null) durations.push(run.durationMs);
    for (const [name, v] of Object.entries(run.metrics)) {
      const list = metricValues.get(name) ?? [];
      list.push(v);
      metricValues.set(name, list);
    }
  }
  const metrics: Record<string, NumberStats> = {};
  for (const name of [...metricValues.keys()].sort())
    setOwn(metrics, name, numberStats(metricValues.get(name)!));
  return {
    total: runs.length,
    byStatus,
    durationMs: {
      ...numberStats(durations),
      median: median(durations),
      total: durations.reduce((a, b) => a + b, 0),
    },
    metrics,
  };
}
