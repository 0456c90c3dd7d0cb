/**
 * The result of a significance test: its `name` (which test, and whether exact or
 * approximated), the test `statistic` and the two-sided `pValue` (`null` when undefined,
 * e.g. with no data).
 */
export interface TestResult {
  name: string;
  statistic: number | null;
  pValue: number | null;
}

/** A confidence interval: bounds, level (e.g. 0.95) and how it was computed. */
export interface ConfidenceInterval {
  low: number | null;
  high: number | null;
  level: number;
  method: string;
}
