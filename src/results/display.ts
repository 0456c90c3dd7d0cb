import pc from "picocolors";
import { clip, formatDuration, formatNumber, formatValue } from "./format.js";
import { fieldReader } from "./group-fields.js";
import type { Run } from "./run.js";
import { numberStats, summarize } from "./summary.js";
import { buildTable } from "./table.js";
import { type TextTableColumn, textTable } from "./text-table.js";
import type { DisplayOptions } from "./types.js";

type Colors = ReturnType<typeof pc.createColors>;

/** Whether stdout takes colour: a TTY, and neither NO_COLOR nor a dumb terminal. */
export function colorDefault(): boolean {
  return Boolean(process.stdout.isTTY) && pc.isColorSupported;
}

/**
 * The text of `results.display()`: a header line, the runs table (or one row per group with
 * the mean ± std of each metric), and the summary.
 */
export function renderDisplay(runs: readonly Run[], options: DisplayOptions = {}): string {
  const c = pc.createColors(options.color ?? colorDefault());
  const width = options.maxCellWidth ?? 32;
  const experiments = [...new Set(runs.map((r) => r.experimentId))];
  const head = `${c.bold(`${runs.length} run${runs.length === 1 ? "" : "s"}`)}${
    experiments.length > 0
      ? c.dim(` · ${experiments.slice(0, 3).join(", ")}${experiments.length > 3 ? ", …" : ""}`)
      : ""
  }`;
  if (runs.length === 0) return `${head}\n`;
  const groupBy = options.groupBy === undefined ? [] : [options.groupBy].flat();
  const parts = [head];
  parts.push(
    groupBy.length > 0
      ? groupedTable(runs, groupBy, c, width)
      : runsTable(runs, experiments.length, c, width),
  );
  if (options.showSummary ?? true) parts.push(summaryText(runs, c));
  return `${parts.join("\n\n")}\n`;
}

function statusPaint(c: Colors) {
  return (raw: string) =>
    raw === "success"
      ? c.green
      : raw === "failed" || raw === "crashed"
        ? c.red
        : raw === "-"
          ? undefined
          : c.yellow;
}

function runsTable(runs: readonly Run[], experimentCount: number, c: Colors, width: number): string {
  const table = buildTable(runs);
  const keys = Object.keys(table[0] ?? {});
  const params = keys.filter((k) => k.startsWith("param_"));
  const varying = params.filter((k) => new Set(table.map((r) => formatValue(r[k]))).size > 1);
  const fixed = params.filter((k) => !varying.includes(k));
  const values = keys.filter((k) => k.startsWith("metric_") || k.startsWith("derived_"));
  const columns: (TextTableColumn & { get: (i: number) => string })[] = [
    { header: "run_id", get: (i) => clip(runs[i]!.runId, 12) },
    ...(experimentCount > 1
      ? [{ header: "experiment", get: (i: number) => clip(runs[i]!.experimentId, width) }]
      : []),
    { header: "status", get: (i) => runs[i]!.status, paint: statusPaint(c) },
    { header: "duration", align: "right", get: (i) => formatDuration(runs[i]!.durationMs) },
    ...varying.map((k) => ({
      header: k.slice("param_".length),
      align: alignOf(table.map((r) => r[k])),
      get: (i: number) => clip(formatValue(table[i]![k]), width),
    })),
    ...values.map((k) => ({
      header: k.startsWith("metric_") ? k.slice("metric_".length) : k,
      align: "right" as const,
      get: (i: number) => clip(formatValue(table[i]![k]), width),
    })),
  ];
  const text = textTable(
    columns,
    runs.map((_, i) => columns.map((col) => col.get(i))),
    { header: c.bold, rule: c.dim },
  );
  if (fixed.length === 0) return text;
  const line = fixed
    .map((k) => `${k.slice("param_".length)}=${clip(formatValue(table[0]![k]), width)}`)
    .join(", ");
  return `${c.dim("fixed params:")} ${line}\n${text}`;
}

function alignOf(values: unknown[]): "left" | "right" {
  return values.every((v) => v === null || typeof v === "number") ? "right" : "left";
}

function groupedTable(runs: readonly Run[], groupBy: string[], c: Colors, width: number): string {
  const readers = groupBy.map((f) => fieldReader(f, runs));
  const groups = new Map<string, { key: string[]; runs: Run[] }>();
  for (const run of runs) {
    const key = readers.map((r) => formatValue(r.read(run)));
    const id = JSON.stringify(key);
    const g = groups.get(id) ?? { key, runs: [] };
    g.runs.push(run);
    groups.set(id, g);
  }
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const sorted = [...groups.values()].sort((a, b) => compareKeys(a.key, b.key));
  const columns: TextTableColumn[] = [
    ...readers.map((r) => ({ header: r.label, align: "right" as const })),
    { header: "runs", align: "right" },
    { header: "success", align: "right" },
    ...metricNames.map((m) => ({ header: m, align: "right" as const })),
  ];
  const rows = sorted.map((g) => [
    ...g.key.map((k) => clip(k, width)),
    String(g.runs.length),
    `${g.runs.filter((r) => r.status === "success").length}/${g.runs.length}`,
    ...metricNames.map((m) => meanStd(g.runs.flatMap((r) => (m in r.metrics ? [r.metrics[m]!] : [])))),
  ]);
  const table = textTable(columns, rows, { header: c.bold, rule: c.dim });
  return metricNames.length > 0 ? `${table}\n${c.dim(STD_NOTE)}` : table;
}

/** The standard deviation rule, as the output states it. */
const STD_NOTE = "metrics: mean ± std over the group's runs (sample std, ddof 1, as pandas)";

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const nx = Number(x);
    const ny = Number(y);
    const d = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x.localeCompare(y);
    if (d !== 0) return d;
  }
  return 0;
}

function meanStd(values: number[]): string {
  if (values.length === 0) return "-";
  const s = numberStats(values);
  if (s.mean === null) return "NaN";
  if (s.std === null) return formatNumber(s.mean);
  return `${formatNumber(s.mean)} ± ${formatNumber(Number(s.std.toPrecision(2)))}`;
}

function summaryText(runs: readonly Run[], c: Colors): string {
  const s = summarize(runs);
  const counts = Object.entries(s.byStatus)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  const d = s.durationMs;
  const durations =
    d.count > 0
      ? `duration mean ${formatDuration(d.mean)}, median ${formatDuration(d.median)}, min ${formatDuration(d.min)}, max ${formatDuration(d.max)}`
      : "no finished runs";
  const lines = [`${c.bold("summary")}: ${s.total} runs (${counts}) · ${durations}`];
  const names = Object.keys(s.metrics);
  if (names.length > 0) {
    const rows = names.map((name) => {
      const m = s.metrics[name]!;
      return [name, String(m.count), String(m.nanCount), ...[m.mean, m.std, m.min, m.max].map(formatValue)];
    });
    const columns: TextTableColumn[] = [
      { header: "metric" },
      ...["count", "nan", "mean", "std (ddof 1)", "min", "max"].map((h) => ({
        header: h,
        align: "right" as const,
      })),
    ];
    lines.push(textTable(columns, rows, { header: c.bold, rule: c.dim }));
  }
  return lines.join("\n");
}
