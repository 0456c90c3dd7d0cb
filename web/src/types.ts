/** The shapes of the REST API the page reads (see /api/v1/openapi.json). */
export type Status = "pending" | "running" | "success" | "failed" | "cancelled" | "crashed";

export interface ExperimentSummary {
  experimentId: string;
  name: string;
  version: string;
  description: string | null;
  createdAt: string;
  runCount: number;
  statusCounts: Partial<Record<Status, number>>;
  lastActivityAt: string | null;
}

export interface Run {
  runId: string;
  experimentId: string;
  experimentName: string;
  experimentVersion: string;
  name: string | null;
  status: Status;
  params?: Record<string, unknown>;
  seed?: unknown;
  tags: Record<string, string>;
  metrics?: Record<string, number>;
  derived?: Record<string, unknown>;
  error: { type: string; message: string; stack: string | null } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  paramsFingerprint?: string;
  seedFingerprint?: string;
  executionId?: string | null;
}

export interface Pagination {
  page: number;
  pageSize: number;
  totalPages: number;
  totalResults: number;
}

export interface Page<T> {
  data: T[];
  pagination: Pagination;
  nextCursor: string | null;
}

export interface FieldInfo {
  field: string;
  types: string[];
  count: number;
  values: (number | string | boolean | null)[];
  valuesTruncated: boolean;
  min: number | string | null;
  max: number | string | null;
}

export interface Figures {
  count?: number;
  nanCount?: number;
  mean?: number | null;
  stdDev?: number | null;
  min?: number | null;
  max?: number | null;
  sum?: number | null;
  percentiles?: Record<string, number | null>;
  histogram?: { edges: number[]; counts: number[] };
}

export interface RunGroup {
  key: Record<string, unknown>;
  runs: number;
  metrics: Record<string, Figures>;
}

export interface DownsampledSeries {
  totalPoints: number;
  downsampled: boolean;
  steps: number[];
  lastSteps: number[];
  values: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
  counts: number[];
}

export interface Artifact {
  name: string;
  kind: string;
  mediaType: string;
  size: number;
  digest: string;
  createdAt: string;
}

export interface Row {
  datapointId: string;
  trial: number;
  item: unknown;
  output: unknown;
  scores: Record<string, number | boolean | string | null>;
  passed?: boolean;
}

export interface ScoreAggregate extends Figures {
  name: string;
  scoreType: "range" | "rubric";
  distribution?: { category: string; count: number }[];
  modeCategory?: string | null;
}

export interface RunResult {
  runId: string;
  success: boolean;
  passed: number;
  failed: number;
  passRate: number | null;
  aggregate: string;
  metrics: Record<
    string,
    { kind: string; aggregate: number | null; count: number; passed: number; failed: number }
  >;
  composites: Record<string, number | null>;
  datapoints: {
    data: {
      datapointId: string;
      trials: number;
      passed: boolean;
      failedMetrics: string[];
      values: Record<string, number | null>;
    }[];
    pagination: Pagination;
  };
}

export interface MetricComparison {
  name: string;
  direction: string;
  compareBy: string;
  oldAggregate: number | null;
  newAggregate: number | null;
  delta: number | null;
  foundCount: number;
  improvedCount: number;
  degradedCount: number;
  sameCount: number;
  improved: string[];
  degraded: string[];
  test: { name: string; pValue: number | null; statistic?: number | null } | null;
  ci: { low: number | null; high: number | null; level: number } | null;
  effectSize: number | null;
  significant: boolean;
  change: "improved" | "degraded" | "none";
}

export interface CompareRuns {
  newRunId: string;
  oldRunId: string;
  commonDatapoints: number;
  newOnly: number;
  oldOnly: number;
  metrics: Record<string, MetricComparison>;
  improvedMetrics: string[];
  degradedMetrics: string[];
  verdict: "pass" | "warn" | "block" | "inconclusive";
  reasons: string[];
}

export interface GroupComparison {
  runsA: number;
  runsB: number;
  alpha: number;
  metrics: Record<
    string,
    {
      name: string;
      a: { n: number; mean: number | null; std: number | null };
      b: { n: number; mean: number | null; std: number | null };
      delta: number | null;
      test: { name: string; pValue: number | null; statistic: number | null; df: number | null };
      ci: { low: number | null; high: number | null; level: number };
      significant: boolean;
    }
  >;
}
