import type { Command } from "commander";
import { invalid } from "../../core/errors.js";
import type { AggregateScoresResult, RangeScoreAggregate, ScoreAggregate } from "../../scores/types.js";
import { out, withReadStore } from "../context.js";
import { jsonText } from "../json-out.js";
import { formatNemoAggregate } from "./agg-nemo-format.js";
import { cell, keyCell, listOption, numberListOption, sparkline, textTable } from "./scores-format.js";

interface AggOpts {
  scores?: string;
  percentiles?: string;
  bins?: string;
  groupBy?: string;
  filter?: string;
  byDatapoint?: boolean;
  compat?: string;
  json?: boolean;
}

const HELP = `
Range scores: count (NaN excluded), NaN count (NaN or no value), mean, population std
(ddof 0, over the run's rows), min, p5, p50, p95, max and a text histogram (20 equal bins
over the finite values by default). Rubric scores: the count per category (defined
categories first), the rows without one, and the most frequent category.

Examples:
  labbook agg 20261122_094501-abc
  labbook agg RUN --scores bleu,judge:fluency --bins 10
  labbook agg RUN --group-by item.category --by-datapoint --json
  labbook agg RUN --compat nemo --json       # the NVIDIA evaluator's figures and field names`;

function rangeRows(scores: readonly ScoreAggregate[]): string[][] {
  return scores
    .filter((s): s is RangeScoreAggregate => s.scoreType === "range")
    .map((s) => {
      const p = s.percentiles ?? {};
      const pick = (k: string) => cell(p[k] ?? null);
      return [
        s.name,
        cell(s.count),
        cell(s.nanCount),
        cell(s.mean),
        cell(s.stdDev),
        cell(s.min),
        pick("p5"),
        pick("p50"),
        pick("p95"),
        cell(s.max),
        s.histogram ? sparkline(s.histogram.counts) : "",
      ];
    });
}

function rubricLines(scores: readonly ScoreAggregate[]): string[] {
  return scores.flatMap((s) => {
    if (s.scoreType !== "rubric") return [];
    const total = s.count ?? 0;
    const parts = (s.distribution ?? []).map(
      (c) => `${c.category} ${c.count}${total > 0 ? ` (${((100 * c.count) / total).toFixed(1)}%)` : ""}`,
    );
    const nan = s.nanCount ? `; no category ${s.nanCount}` : "";
    return [`${s.name}: ${parts.join(", ")}${nan}; mode ${s.modeCategory ?? "-"}`];
  });
}

/** The figures of `aggregateScores` as text: a range table with histograms, then rubric lines. */
export function formatAggregate(r: AggregateScoresResult): string {
  const header = [
    "score",
    "count",
    "nan",
    "mean",
    "std (ddof 0)",
    "min",
    "p5",
    "p50",
    "p95",
    "max",
    "histogram",
  ];
  const block = (scores: readonly ScoreAggregate[]) => {
    const rows = rangeRows(scores);
    return [...(rows.length > 0 ? [textTable(header, rows)] : []), ...rubricLines(scores)].join("\n");
  };
  const lines = [`run ${r.runId}: ${r.rows} rows`, block(r.scores)];
  for (const g of r.groups ?? []) {
    const key = Object.entries(g.key)
      .map(([k, v]) => `${k}=${keyCell(v)}`)
      .join(" ");
    lines.push("", `${key}: ${g.rows} rows`, block(g.scores));
  }
  return lines.join("\n");
}

/** Registers `labbook agg RUN_ID`. */
export function registerAgg(program: Command): void {
  program
    .command("agg")
    .description("aggregate a run's row scores: figures, percentiles and a histogram per score")
    .argument("<run-id>", "the run")
    .option("--scores <names>", "comma-separated score names (default: every score)")
    .option("--percentiles <list>", "comma-separated percentiles (default 1,5,10,25,50,75,90,95,99)")
    .option("--bins <n>", "histogram bins (default 20)")
    .option(
      "--group-by <paths>",
      "comma-separated row fields: item.<path>, output.<path>, scores.<name>, datapoint_id",
    )
    .option("--filter <query>", "only rows matching this query")
    .option("--by-datapoint", "average each datapoint's trials first")
    .option("--compat <name>", "nemo: the NVIDIA evaluator's figures and field names")
    .option("--json", "print the result as JSON")
    .addHelpText("after", HELP)
    .action((runId: string, opts: AggOpts, cmd: Command) =>
      withReadStore(cmd, async (store) => {
        const bins = opts.bins === undefined ? undefined : Number(opts.bins);
        if (bins !== undefined && !/^\d+$/.test(opts.bins!))
          throw invalid("--bins", "must be a whole number", opts.bins);
        const options = {
          ...(opts.scores ? { scores: listOption(opts.scores) } : {}),
          ...(opts.percentiles ? { percentiles: numberListOption(opts.percentiles) } : {}),
          ...(bins !== undefined ? { bins } : {}),
          ...(opts.groupBy ? { groupBy: listOption(opts.groupBy) } : {}),
          ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
          ...(opts.byDatapoint ? { byDatapoint: true } : {}),
        };
        if (opts.compat !== undefined) {
          if (opts.compat !== "nemo") throw invalid("--compat", "expected nemo", opts.compat);
          const r = await store.aggregateScores(runId, { ...options, compat: "nemo" });
          return out(opts.json ? jsonText(r) : formatNemoAggregate(r));
        }
        const r = await store.aggregateScores(runId, options);
        out(opts.json ? jsonText(r) : formatAggregate(r));
      }),
    );
}
