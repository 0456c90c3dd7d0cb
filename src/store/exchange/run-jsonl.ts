import { encodeJson, type JsonValue } from "../../core/codec.js";
import type { ArtifactDescriptor, MetricSeries, RowRecord, RunRecord } from "../../core/types.js";
import type { Store } from "../types.js";

/** What a run line carries besides the run itself. */
export interface RunLineOptions {
  /** Every metric's per-step history (`series: { name: { steps, values, timestamps } }`). */
  series?: boolean;
  /** The run's rows (`rows: [{ datapointId, trial, item, output, scores, requests }]`). */
  rows?: boolean;
  /** Artifacts with their bytes in base64 (`artifacts: [{ name, kind, mediaType, digest, base64 }]`) and structured data (`data: { name: value }`). */
  artifacts?: boolean;
}

/**
 * One run as one JSONL line (tagged JSON: NaN is `{"$float":"NaN"}`), labbook's own exchange
 * format: `labbook: 1`, the run's id, experiment (`name:version`), name, status, params, seed,
 * tags, metrics, derived values, error, times, fingerprints and execution id; then, when asked,
 * its series, rows, artifacts and data. `labbook import jsonl` reads it back.
 *
 * @example
 * for await (const run of store.iterateRuns()) process.stdout.write(await runLine(store, run as RunRecord, { series: true }));
 */
export async function runLine(store: Store, run: RunRecord, options: RunLineOptions = {}): Promise<string> {
  const line: Record<string, unknown> = {
    labbook: 1,
    runId: run.runId,
    experiment: run.experimentId,
    name: run.name,
    status: run.status,
    params: run.params,
    seed: run.seed,
    tags: run.tags,
    metrics: run.metrics,
    derived: run.derived,
    error: run.error,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    fingerprints: {
      paramsFingerprint: run.paramsFingerprint,
      seedFingerprint: run.seedFingerprint,
      contextFingerprint: run.contextFingerprint,
    },
    executionId: run.executionId,
  };
  if (options.series) {
    const series: Record<string, MetricSeries> = {};
    for (const name of await store.listSeries(run.runId))
      series[name] = await store.getSeries(run.runId, name);
    line.series = series;
  }
  if (options.rows) {
    const rows: RowRecord[] = [];
    for await (const r of store.iterateRowRecords(run.runId, { batchSize: 10_000 })) rows.push(r);
    line.rows = rows;
  }
  if (options.artifacts) {
    const artifacts: (ArtifactDescriptor & { base64: string })[] = [];
    for (const a of await store.listArtifacts(run.runId)) {
      const { bytes } = await store.getArtifact(run.runId, a.name);
      artifacts.push({ ...a, base64: Buffer.from(bytes).toString("base64") });
    }
    line.artifacts = artifacts;
    const data: Record<string, JsonValue> = {};
    for (const d of await store.listData(run.runId))
      data[d.name] = (await store.getData(run.runId, d.name)) as JsonValue;
    line.data = data;
  }
  return `${encodeJson(line)}\n`;
}
