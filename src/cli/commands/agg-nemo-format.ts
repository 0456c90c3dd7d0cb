import type { NemoAggregateScore, NemoAggregateScoresResult } from "../../scores/nemo-compat.js";
import { cell, keyCell, sparkline, textTable } from "./scores-format.js";

const HEADER = [
  "name",
  "count",
  "nan_count",
  "mean",
  "std_dev",
  "min",
  "p10",
  "p50",
  "p90",
  "p100",
  "max",
  "histogram",
];

function block(scores: readonly NemoAggregateScore[]): string {
  const rows = scores.flatMap((s) =>
    s.score_type === "range"
      ? [
          [
            s.name,
            cell(s.count),
            cell(s.nan_count),
            cell(s.mean),
            cell(s.std_dev),
            cell(s.min),
            cell(s.percentiles?.p10),
            cell(s.percentiles?.p50),
            cell(s.percentiles?.p90),
            cell(s.percentiles?.p100),
            cell(s.max),
            sparkline(s.histogram.bins.map((b) => b.count)),
          ],
        ]
      : [],
  );
  const rubrics = scores.flatMap((s) =>
    s.score_type === "rubric"
      ? [
          `${s.name} (rubric): count ${s.count}, nan_count ${s.nan_count}; ${s.rubric_distribution
            .map((b) => `${b.label} ${b.count}`)
            .join(", ")}; mode_category ${s.mode_category ?? "-"}`,
        ]
      : [],
  );
  return [...(rows.length > 0 ? [textTable(HEADER, rows)] : []), ...rubrics].join("\n");
}

/**
 * `labbook agg --compat nemo` as text: the NVIDIA evaluator's field names, percentiles by its
 * rank rule (p10 p50 p90 p100 shown; `--json` has them all) and its 10-bin histogram.
 */
export function formatNemoAggregate(r: NemoAggregateScoresResult): string {
  const lines = [
    `run ${r.runId}: ${r.rows} rows (NVIDIA evaluator figures: std_dev population, percentiles by rank (p/100)(n+1))`,
    block(r.scores),
  ];
  for (const g of r.groups ?? []) {
    const key = Object.entries(g.key)
      .map(([k, v]) => `${k}=${keyCell(v)}`)
      .join(" ");
    lines.push("", `${key}: ${g.rows} rows`, block(g.scores));
  }
  return lines.join("\n");
}
