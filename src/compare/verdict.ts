import type { CompareVerdict, MetricComparison } from "./types.js";

/** Fewer paired datapoints than this for a compared metric make a comparison inconclusive. */
export const MIN_PAIRS = 10;

export interface VerdictOptions {
  alpha: number;
  maxDrop: number;
  /** Default {@link MIN_PAIRS}. */
  minPairs?: number;
}

export interface Verdict {
  verdict: CompareVerdict;
  improvedMetrics: string[];
  degradedMetrics: string[];
  reasons: string[];
}

const fmt = (v: number) => Number(v.toPrecision(4)).toString();

/**
 * The verdict of a run comparison, over the metrics compared with a test (every one but
 * `category` rubrics):
 *
 * 1. `block` when a metric degraded significantly (p < `alpha`, worse way) and its aggregate
 *    dropped by more than `maxDrop` (direction-aware: a lower-is-better metric drops when its
 *    aggregate rises);
 * 2. else `warn` when a metric degraded significantly by at most `maxDrop`;
 * 3. else `inconclusive` when no metric could be compared, or one of them has fewer than
 *    `minPairs` (10) paired datapoints: below 6 pairs no two-sided test of a 0/1 or sign
 *    outcome can reach p < 0.05 at all, and 10 leaves room for a few ties;
 * 4. else `pass`.
 *
 * `improvedMetrics` / `degradedMetrics` list the metrics that changed significantly.
 *
 * @example
 * verdictOf(Object.values(result.metrics), { alpha: 0.05, maxDrop: 0.01 }).verdict; // "pass"
 */
export function verdictOf(metrics: readonly MetricComparison[], options: VerdictOptions): Verdict {
  const minPairs = options.minPairs ?? MIN_PAIRS;
  const tested = metrics.filter((m) => m.test !== null);
  const improvedMetrics = tested.filter((m) => m.change === "improved").map((m) => m.name);
  const degradedMetrics = tested.filter((m) => m.change === "degraded").map((m) => m.name);
  const reasons: string[] = [];
  let blocks = false;
  for (const m of tested) {
    if (m.change !== "degraded") continue;
    const drop = Math.max(0, (m.direction === "lower" ? 1 : -1) * (m.delta ?? 0));
    const over = drop > options.maxDrop;
    blocks ||= over;
    reasons.push(
      `${m.name}: degraded significantly (p = ${fmt(m.test!.pValue!)}), ${m.aggregate} ${over ? "dropped" : "moved"} ` +
        `by ${fmt(drop)} ${over ? ">" : "<="} maxDrop ${options.maxDrop}`,
    );
  }
  if (blocks) return { verdict: "block", improvedMetrics, degradedMetrics, reasons };
  if (degradedMetrics.length > 0) return { verdict: "warn", improvedMetrics, degradedMetrics, reasons };
  if (tested.length === 0) reasons.push("no metric could be compared");
  for (const m of tested) {
    if (m.foundCount < minPairs)
      reasons.push(`${m.name}: ${m.foundCount} paired datapoints, fewer than ${minPairs}`);
  }
  if (reasons.length > 0) return { verdict: "inconclusive", improvedMetrics, degradedMetrics, reasons };
  return { verdict: "pass", improvedMetrics, degradedMetrics, reasons };
}
