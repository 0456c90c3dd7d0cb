import { setOwn } from "../core/codec.js";
import { invalid } from "../core/errors.js";
import { checkKeys, type KnownKeys } from "../core/known-keys.js";
import { welchTTest } from "../stats/welch.js";
import type { CompareGroupsOptions, CompareGroupsResult, GroupMetricComparison } from "./types.js";

const KEYS = { metrics: true, alpha: true } as const satisfies KnownKeys<CompareGroupsOptions>;

/**
 * Validates the options of a group comparison: metric names (`acc` or `metrics.acc`, at
 * least one) and `alpha` in (0, 1), default 0.05.
 *
 * @example
 * checkGroupOptions({ metrics: ["metrics.acc"] }); // { metrics: ["acc"], alpha: 0.05 }
 */
export function checkGroupOptions(options: CompareGroupsOptions): { metrics: string[]; alpha: number } {
  if (options === null || typeof options !== "object") throw invalid("options", "must be an object", options);
  checkKeys(options, KEYS, "compareGroups");
  const { metrics } = options;
  if (!Array.isArray(metrics) || metrics.length === 0 || metrics.some((m) => typeof m !== "string" || !m)) {
    throw invalid("metrics", "must be a non-empty array of metric names", metrics);
  }
  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== "number" || !(alpha > 0 && alpha < 1)) {
    throw invalid("alpha", "must be a number in (0, 1)", options.alpha);
  }
  return { metrics: [...new Set(metrics.map((m) => m.replace(/^metrics\./, "")))], alpha };
}

/**
 * Compares a metric over two groups of runs (one value per run; NaN left out and counted):
 * means, standard deviations, counts, `delta = mean(a) - mean(b)`, Welch's t-test and its
 * `1 - alpha` interval of the delta.
 *
 * @example
 * compareGroupValues({ runsA: 3, runsB: 3, alpha: 0.05 }, new Map([["acc", [a, b]]]));
 */
export function compareGroupValues(
  head: { runsA: number; runsB: number; alpha: number },
  values: ReadonlyMap<string, [Float64Array, Float64Array]>,
): CompareGroupsResult {
  const metrics: Record<string, GroupMetricComparison> = {};
  for (const [name, [a, b]] of values) {
    const w = welchTTest(a, b, { level: 1 - head.alpha });
    setOwn(metrics, name, {
      name,
      a: w.a,
      b: w.b,
      delta: w.delta,
      test: { name: w.name, statistic: w.statistic, pValue: w.pValue, df: w.df },
      ci: w.ci,
      significant: w.pValue !== null && w.pValue < head.alpha,
    });
  }
  return { ...head, metrics };
}
