import { type Command, Option } from "commander";
import type { RunRecord } from "../../core/types.js";
import { clip, formatDuration, formatValue } from "../../results/format.js";
import { Results } from "../../results/results.js";
import { textTable } from "../../results/text-table.js";
import { out, withReadStore } from "../context.js";
import { jsonText } from "../json-out.js";
import { checkExperimentOption, parseLimit, parseStatuses } from "../parse-options.js";
import { runsSearchQuery, wantsSearch } from "./runs-search.js";
import { addSearchCliOptions, type SearchCliOptions } from "./search-options.js";

interface RunsOptions extends SearchCliOptions {
  experiment?: string;
  status?: string;
  limit?: string;
  json?: boolean;
  csv?: boolean;
}

/** Metric columns shown in the `runs` table at most (all in `--json` and `--csv`). */
const MAX_METRICS = 6;

/**
 * `labbook runs [--experiment E] [--status S] [--limit N] [--json | --csv]`: runs, newest first;
 * with `--where '<filter>'` or `--filter-json '<json>'`, `--sort`, `--page`, `--page-size`: a page
 * of the store's search (with its pagination).
 *
 * @example
 * labbook runs --experiment logreg-sweep --status success --limit 10
 * labbook runs --where 'metrics.test_acc > 0.85 and params.l2 = 0' --sort -metrics.test_acc --page 2 --page-size 50
 */
export function registerRuns(program: Command): void {
  const cmd = program
    .command("runs")
    .description("list runs, newest first; or search them (--where, --filter-json, --sort, --page)")
    .option("--experiment <name[:version]>", "only runs of this experiment")
    .option(
      "--status <status>",
      "only runs with this status (running, success, failed, cancelled, crashed; a,b for several)",
    )
    .option("--limit <n>", "at most this many runs")
    .addOption(new Option("--json", "print JSON").conflicts("csv"))
    .addOption(new Option("--csv", "print CSV (the columns of results.table())").conflicts("json"));
  addSearchCliOptions(cmd, "runs", 'metrics.acc > 0.9 and params.model = "b"').action(
    (opts: RunsOptions, cmd: Command) =>
      withReadStore(cmd, async (store) => {
        const limit = parseLimit(opts.limit);
        const status = parseStatuses(opts.status);
        const experiment = await checkExperimentOption(store, opts.experiment);
        if (wantsSearch(opts)) {
          const page = await store.searchRuns(runsSearchQuery(opts, { experiment, status, limit }));
          const records = page.data.map((r) => ({
            ...r,
            params: r.params ?? {},
            metrics: r.metrics ?? {},
            derived: r.derived ?? {},
          }));
          if (opts.json) return out(jsonText({ ...page, data: records }));
          if (opts.csv) return void process.stdout.write(await new Results(store, records).toCsvText());
          const p = page.pagination;
          return out(
            `${runsTable(records)}\npage ${p.page} of ${p.totalPages} (${p.totalResults} matching runs)`,
          );
        }
        const records = await store.listRuns({ experiment, status, limit });
        if (opts.json) return out(jsonText(records));
        if (opts.csv) return void process.stdout.write(await new Results(store, records).toCsvText());
        out(runsTable(records));
      }),
  );
}

/** The `runs` table: id, experiment, status, start, duration and the first metrics by name. */
export function runsTable(records: readonly RunRecord[]): string {
  if (records.length === 0) return "no runs";
  const names = [...new Set(records.flatMap((r) => Object.keys(r.metrics)))].sort();
  const shown = names.slice(0, MAX_METRICS);
  const table = textTable(
    [
      { header: "run_id" },
      { header: "experiment" },
      { header: "status" },
      { header: "started_at" },
      { header: "duration", align: "right" },
      ...shown.map((n) => ({ header: n, align: "right" as const })),
    ],
    records.map((r) => [
      r.runId,
      r.experimentId,
      r.status,
      r.startedAt ? r.startedAt.slice(0, 19).replace("T", " ") : "-",
      formatDuration(r.durationMs),
      ...shown.map((n) => clip(formatValue(r.metrics[n]), 16)),
    ]),
  );
  const more =
    names.length > shown.length ? `\n(${names.length - shown.length} more metrics: --json or --csv)` : "";
  return `${table}\n${records.length} run${records.length === 1 ? "" : "s"}${more}`;
}
