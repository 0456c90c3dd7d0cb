import type { Command } from "commander";
import { invalid } from "../../core/errors.js";
import type { AggregateRunsResult } from "../../scores/types.js";
import { out, withReadStore } from "../context.js";
import { jsonText } from "../json-out.js";
import { cell, keyCell, listOption, numberListOption, textTable } from "./scores-format.js";

interface AggRunsOpts {
  metric?: string[];
  groupBy?: string;
  experiment?: string;
  filter?: string;
  percentiles?: string;
  json?: boolean;
}

const HELP = `
Per group of runs (by run fields: params.<path>, tags.<key>, derived.<name>, status,
experiment, version, name), the count (NaN excluded), mean, sample std (ddof 1, as pandas),
min, percentiles and max of each metric's summary value over the runs that have it.

Examples:
  labbook agg-runs --metric acc --group-by params.lr
  labbook agg-runs --experiment sweep --metric acc,loss --group-by params.lr,params.model --percentiles 50,95
  labbook agg-runs --metric acc --filter 'params.model = "b"' --json`;

/** Aggregates over runs as a table: one row per group and metric. */
export function formatAggregateRuns(r: AggregateRunsResult, percentiles: readonly number[]): string {
  const keys = percentiles.map((p) => `p${p}`);
  const header = [...r.groupBy, "runs", "metric", "count", "mean", "std (ddof 1)", "min", ...keys, "max"];
  const rows = r.groups.flatMap((g) =>
    Object.entries(g.metrics).map(([name, f]) => [
      ...r.groupBy.map((p) => keyCell(g.key[p])),
      cell(g.runs),
      name,
      cell(f.count),
      cell(f.mean),
      cell(f.stdDev),
      cell(f.min),
      ...keys.map((k) => cell(f.percentiles?.[k])),
      cell(f.max),
    ]),
  );
  return textTable(header, rows);
}

/** Registers `labbook agg-runs`. */
export function registerAggRuns(program: Command): void {
  program
    .command("agg-runs")
    .description("aggregate run metrics over runs (e.g. over seeds), grouped by params or tags")
    .option("--metric <names...>", "metric names (comma-separated or repeated)")
    .option("--group-by <paths>", "comma-separated run fields (params.lr,params.model)")
    .option("--experiment <name>", "only runs of this experiment (name or name:version)")
    .option("--filter <query>", "only runs matching this query")
    .option("--percentiles <list>", "comma-separated percentiles", "50,95")
    .option("--json", "print the result as JSON")
    .addHelpText("after", HELP)
    .action((opts: AggRunsOpts, cmd: Command) =>
      withReadStore(cmd, async (store) => {
        const metrics = listOption(opts.metric);
        if (!metrics || metrics.length === 0)
          throw invalid("--metric", "is required: the metric(s) to aggregate");
        const percentiles = numberListOption(opts.percentiles) ?? [50, 95];
        const r = await store.aggregateRuns({
          metrics,
          percentiles,
          ...(opts.groupBy ? { groupBy: listOption(opts.groupBy) } : {}),
          ...(opts.experiment ? { experiment: opts.experiment } : {}),
          ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
        });
        // A metric no matching run has is almost always a mistyped name: say so, not a table of zeros.
        const absent = metrics.filter(
          (m) =>
            r.groups.length > 0 && r.groups.every((g) => !g.metrics[m]?.count && !g.metrics[m]?.nanCount),
        );
        if (absent.length > 0) {
          throw invalid(
            "--metric",
            "must name metrics that the matching runs have (none has it)",
            absent.join(", "),
          );
        }
        out(opts.json ? jsonText(r) : formatAggregateRuns(r, percentiles));
      }),
    );
}
