import type { CompareGroupsResult, CompareRunsResult, MetricComparison } from "../../compare/types.js";

/**
 * A number for a table: 4 significant digits, `-` for null.
 *
 * @example
 * num(0.123456); // "0.1235"
 */
export function num(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "-";
  if (v !== 0 && Math.abs(v) < 1e-4) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

const signed = (v: number | null) => (v !== null && v > 0 ? `+${num(v)}` : num(v));

/**
 * Aligned text columns (or a Markdown table).
 *
 * @example
 * table(["a", "b"], [["1", "2"]], false); // "a  b\n1  2"
 */
export function table(header: string[], rows: string[][], markdown: boolean): string {
  if (markdown) {
    const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

function metricRow(m: MetricComparison): string[] {
  const ci = m.ci && m.ci.low !== null ? `[${num(m.ci.low)}, ${num(m.ci.high)}]` : "-";
  const counts =
    m.compareBy === "category"
      ? `=${m.sameCount} ~${m.changedCount ?? 0}`
      : `+${m.improvedCount} -${m.degradedCount} =${m.sameCount}`;
  const mark = m.change === "improved" ? "improved" : m.change === "degraded" ? "DEGRADED" : "";
  return [
    m.name,
    m.compareBy === "category" ? "-" : m.direction,
    num(m.oldAggregate),
    num(m.newAggregate),
    signed(m.delta),
    ci,
    num(m.test?.pValue),
    m.test?.name ?? "-",
    String(m.foundCount),
    counts,
    mark,
  ];
}

/**
 * A run comparison as a per-metric table, the datapoint counts and the verdict with its reasons.
 *
 * @example
 * out(formatComparison(await store.compareRuns(a, b), false));
 */
export function formatComparison(r: CompareRunsResult, markdown: boolean): string {
  const level = `${num((1 - r.alpha) * 100)}% CI`;
  const header = ["metric", "better", "old", "new", "delta", level, "p", "test", "pairs", "+/-/=", ""];
  const rows = Object.values(r.metrics).map(metricRow);
  const lines = [
    `${markdown ? "**Compare** " : ""}new ${r.newRunId} vs old ${r.oldRunId}: ${r.commonDatapoints} common datapoints, ` +
      `${r.newOnly} only in new, ${r.oldOnly} only in old`,
    "",
    table(header, rows, markdown),
    "",
  ];
  const aggregate = Object.values(r.metrics)[0]?.aggregate ?? "average";
  lines.push(
    `old/new: ${aggregate} over paired datapoints; alpha ${r.alpha}, maxDrop ${r.maxDrop}, seed ${r.seed}`,
  );
  if (r.newOnlyMetrics.length) lines.push(`only in new (not compared): ${r.newOnlyMetrics.join(", ")}`);
  if (r.oldOnlyMetrics.length) lines.push(`only in old (not compared): ${r.oldOnlyMetrics.join(", ")}`);
  for (const reason of r.reasons) lines.push(`${markdown ? "- " : "  "}${reason}`);
  lines.push(`${markdown ? "**Verdict:** " : "verdict: "}${r.verdict.toUpperCase()}`);
  return lines.join("\n");
}

/**
 * A group comparison as a per-metric table.
 *
 * @example
 * out(formatGroups(await store.compareGroups(a, b, { metrics: ["acc"] })));
 */
export function formatGroups(r: CompareGroupsResult): string {
  const header = [
    "metric",
    "n A",
    "mean A",
    "std A",
    "n B",
    "mean B",
    "std B",
    "delta",
    "CI",
    "t",
    "df",
    "p",
  ];
  const rows = Object.values(r.metrics).map((m) => [
    m.name,
    String(m.a.n),
    num(m.a.mean),
    num(m.a.std),
    String(m.b.n),
    num(m.b.mean),
    num(m.b.std),
    signed(m.delta),
    m.ci.low === null ? "-" : `[${num(m.ci.low)}, ${num(m.ci.high)}]`,
    num(m.test.statistic),
    num(m.test.df),
    num(m.test.pValue) + (m.significant ? " *" : ""),
  ]);
  return [
    `A: ${r.runsA} runs, B: ${r.runsB} runs; delta = mean(A) - mean(B); std: sample (ddof 1); Welch's t-test, ${num((1 - r.alpha) * 100)}% CI`,
    "",
    table(header, rows, false),
  ].join("\n");
}
