import { invalid } from "../../core/errors.js";
import type { RunRecord } from "../../core/types.js";
import { paramLeaves } from "../../query/records.js";
import { lookupPath } from "../../results/filter.js";
import { clip, formatDuration, formatValue } from "../../results/format.js";
import { textTable } from "../../results/text-table.js";

/** Param and metric columns shown in the `runs` table at most (all in `--json` and `--csv`). */
const MAX_PARAMS = 6;
const MAX_METRICS = 6;
const WIDTH = 16;

interface Column {
  header: string;
  align?: "left" | "right";
  get: (r: RunRecord) => string;
}

const time = (iso: string | null) => (iso ? iso.slice(0, 19).replace("T", " ") : "-");

const BASE: Record<string, Column> = {
  run_id: { header: "run_id", get: (r) => r.runId },
  experiment: { header: "experiment", get: (r) => r.experimentId },
  name: { header: "name", get: (r) => r.name ?? "-" },
  status: { header: "status", get: (r) => r.status },
  created_at: { header: "created_at", get: (r) => time(r.createdAt) },
  started_at: { header: "started_at", get: (r) => time(r.startedAt) },
  finished_at: { header: "finished_at", get: (r) => time(r.finishedAt) },
  duration: { header: "duration", align: "right", get: (r) => formatDuration(r.durationMs) },
};
BASE.duration_ms = BASE.duration!;

const cell = (v: unknown) => clip(v === undefined ? "-" : formatValue(v), WIDTH);

function paramColumn(path: string, header = path): Column {
  return { header, get: (r) => cell(lookupPath(r.params, path).value) };
}

function metricColumn(name: string): Column {
  return { header: name, align: "right", get: (r) => cell(r.metrics[name]) };
}

/**
 * One `--columns` entry: `status`, `name`, `experiment`, `run_id`, `started_at`, `duration`...;
 * `params.<path>`, `metrics.<name>`, `derived.<name>`, `tags.<key>`; or a bare name, read as a
 * param path when a listed run has it, else as a metric.
 */
function columnOf(field: string, records: readonly RunRecord[]): Column {
  const base = BASE[field];
  if (base) return base;
  const dot = field.indexOf(".");
  const [head, rest] = dot > 0 ? [field.slice(0, dot), field.slice(dot + 1)] : ["", field];
  if (head === "params" && rest) return paramColumn(rest, field);
  if (head === "metrics" && rest) return { ...metricColumn(rest), header: field };
  if (head === "derived" && rest) return { header: field, get: (r) => cell(r.derived[rest]) };
  if (head === "tags" && rest) return { header: field, get: (r) => cell(r.tags[rest]) };
  if (records.some((r) => lookupPath(r.params, field).found)) return paramColumn(field);
  if (records.some((r) => Object.hasOwn(r.metrics, field))) return metricColumn(field);
  throw invalid(
    "--columns",
    "expected fields of the runs (status, name, started_at, duration, params.<path>, metrics.<name>, derived.<name>, tags.<key>, or a param or metric name)",
    field,
  );
}

/**
 * The param paths whose values differ among the runs (a sweep's runs told apart at a
 * glance), in first-seen order.
 *
 * @example
 * varyingParams([runA, runB]); // ["lr", "model.depth"]
 */
export function varyingParams(records: readonly RunRecord[]): string[] {
  const seen = new Map<string, Set<string>>();
  const leaves = records.map((r) => paramLeaves(r.params));
  for (const l of leaves) for (const path of l.keys()) if (!seen.has(path)) seen.set(path, new Set());
  for (const [path, values] of seen) {
    for (const r of records) values.add(formatValue(lookupPath(r.params, path).value));
  }
  return [...seen].filter(([, values]) => values.size > 1).map(([path]) => path);
}

/**
 * The `runs` table. Default columns: id, experiment, status, start, duration, the params
 * that vary among the listed runs and the first metrics by name; `columns` (`--columns`)
 * picks the columns after the id instead.
 *
 * @example
 * runsTable(records, ["params.lr", "metrics.acc", "status"]);
 */
export function runsTable(records: readonly RunRecord[], columns?: readonly string[]): string {
  if (records.length === 0) return "no runs";
  const notes: string[] = [];
  let cols: Column[];
  if (columns && columns.length > 0) {
    cols = [BASE.run_id!, ...columns.filter((c) => c !== "run_id").map((c) => columnOf(c, records))];
  } else {
    const varying = varyingParams(records);
    const metrics = [...new Set(records.flatMap((r) => Object.keys(r.metrics)))].sort();
    const shownParams = varying.slice(0, MAX_PARAMS);
    const shownMetrics = metrics.slice(0, MAX_METRICS);
    cols = [
      BASE.run_id!,
      BASE.experiment!,
      BASE.status!,
      BASE.started_at!,
      BASE.duration!,
      ...shownParams.map((p) => paramColumn(p)),
      ...shownMetrics.map(metricColumn),
    ];
    if (varying.length > shownParams.length)
      notes.push(`${varying.length - shownParams.length} more varying params`);
    if (metrics.length > shownMetrics.length)
      notes.push(`${metrics.length - shownMetrics.length} more metrics`);
  }
  const table = textTable(
    cols.map((c) => ({ header: c.header, ...(c.align ? { align: c.align } : {}) })),
    records.map((r) => cols.map((c) => c.get(r))),
  );
  const more = notes.length > 0 ? `\n(${notes.join(", ")}: --columns, --json or --csv)` : "";
  return `${table}\n${records.length} run${records.length === 1 ? "" : "s"}${more}`;
}
