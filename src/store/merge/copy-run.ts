import type { MetricEntry, RowInput, RunRecord } from "../../core/types.js";
import type { RunCreate, Store } from "../types.js";

const ROW_BATCH = 5000;

/** What copying one run wrote. */
export interface RunCopyCounts {
  rows: number;
  seriesPoints: number;
  artifacts: number;
  data: number;
  derived: number;
}

/** The metric entries that rebuild a run's series and summary in another store. */
async function metricEntries(
  source: Store,
  rec: RunRecord,
): Promise<{ entries: MetricEntry[]; points: number }> {
  const entries: MetricEntry[] = [];
  const last = new Map<string, number>();
  for (const name of await source.listSeries(rec.runId)) {
    const s = await source.getSeries(rec.runId, name);
    s.steps.forEach((step, i) => {
      entries.push({ name, value: s.values[i]!, step, timestamp: s.timestamps[i]! });
    });
    if (s.values.length > 0) last.set(name, s.values[s.values.length - 1]!);
  }
  const points = entries.length;
  const at = Date.parse(rec.finishedAt ?? rec.startedAt ?? rec.createdAt);
  for (const [name, value] of Object.entries(rec.metrics)) {
    // The summary is the last entry of a name: add it when the series does not end with it.
    if (!last.has(name) || !Object.is(last.get(name), value))
      entries.push({ name, value, step: null, timestamp: at });
  }
  return { entries, points };
}

/**
 * Copies one run of `source` into `target` with the same id, times, fingerprints and status:
 * the run with its metrics and rows, then its artifacts, data and derived values, and its end
 * last, so that a copy cut short leaves the run unfinished here (a later merge replaces it)
 * rather than finished without its artifacts. `executionId` is the id the run's execution has
 * in `target`.
 */
export async function copyRun(
  target: Store,
  source: Store,
  rec: RunRecord,
  options: { replace: boolean; executionId: string | null },
): Promise<RunCopyCounts> {
  const create: RunCreate = {
    experiment: rec.experimentId,
    runId: rec.runId,
    params: rec.params,
    seed: rec.seed,
    tags: rec.tags,
    startedAt: Date.parse(rec.startedAt ?? rec.createdAt),
    fingerprints: {
      paramsFingerprint: rec.paramsFingerprint,
      seedFingerprint: rec.seedFingerprint,
      contextFingerprint: rec.contextFingerprint,
    },
    ifExists: options.replace ? "replace" : "error",
    ...(rec.name === null ? {} : { name: rec.name }),
    ...(options.executionId === null ? {} : { executionId: options.executionId }),
  };
  const { entries, points } = await metricEntries(source, rec);
  let rows: RowInput[] = [];
  let rowCount = 0;
  let created = false;
  const writeRows = async () => {
    await target.writeRun(rec.runId, created ? { rows } : { create, metrics: entries, rows });
    created = true;
    rowCount += rows.length;
    rows = [];
  };
  for await (const r of source.iterateRowRecords(rec.runId)) {
    rows.push({
      datapointId: r.datapointId,
      trial: r.trial,
      item: r.item,
      output: r.output,
      scores: r.scores,
      requests: r.requests,
    });
    if (rows.length >= ROW_BATCH) await writeRows();
  }
  const status = rec.status;
  const end =
    status === "success" || status === "failed" || status === "cancelled"
      ? { status, error: rec.error, finishedAt: Date.parse(rec.finishedAt ?? rec.createdAt) }
      : undefined;
  rowCount += rows.length;
  if (!created || rows.length > 0) {
    await target.writeRun(rec.runId, created ? { rows } : { create, metrics: entries, rows });
  }
  const artifacts = await source.listArtifacts(rec.runId);
  for (const a of artifacts) {
    const { stream } = await source.openArtifact(rec.runId, a.name);
    await target.putArtifact(rec.runId, a.name, stream, { kind: a.kind, mediaType: a.mediaType });
  }
  const data = await source.listData(rec.runId);
  for (const d of data) await target.putData(rec.runId, d.name, await source.getData(rec.runId, d.name));
  const derived = Object.keys(rec.derived).length;
  if (derived > 0) await target.setDerived(rec.runId, rec.derived);
  if (end) await target.writeRun(rec.runId, { end });
  return { rows: rowCount, seriesPoints: points, artifacts: artifacts.length, data: data.length, derived };
}
