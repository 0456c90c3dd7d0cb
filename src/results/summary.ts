import { setOwn } from "../core/codec.js";
import { RUN_STATUSES, type RunStatus } from "../core/types.js";
import { moments } from "../stats/descriptive.js";
import type { Run } from "./run.js";
import type { NumberStats, ResultsSummary } from "./types.js";

/**
 * Count (NaN excluded), NaN count, mean, sample standard deviation (ddof 1, as pandas; null
 * below two values), min and max of numbers, NaN left out of all but `nanCount` (null when
 * no number is left). Equal values have std 0 exactly.
 *
 * @example
 * numberStats([1, 2, NaN]) // { count: 2, nanCount: 1, mean: 1.5, std: 0.707.., ddof: 1, min: 1, max: 2 }
 */
export function numberStats(values: readonly number[]): NumberStats {
  const m = moments(Float64Array.from(values), true, 1);
  return {
    count: m.count,
    nanCount: m.nanCount,
    mean: m.mean,
    std: m.stdDev,
    ddof: 1,
    min: m.min,
    max: m.max,
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
