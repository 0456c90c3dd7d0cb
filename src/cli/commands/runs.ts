import { type Command, Option } from "commander";
import { Results } from "../../results/results.js";
import { out, withReadStore } from "../context.js";
import { jsonText } from "../json-out.js";
import { checkExperimentOption, parseLimit, parseStatuses } from "../parse-options.js";
import { runsSearchQuery, wantsSearch } from "./runs-search.js";
import { runsTable } from "./runs-table.js";
import { listOption } from "./scores-format.js";
import { addSearchCliOptions, type SearchCliOptions } from "./search-options.js";

interface RunsOptions extends SearchCliOptions {
  experiment?: string;
  status?: string;
  limit?: string;
  json?: boolean;
  csv?: boolean;
  columns?: string;
  ids?: boolean;
}

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
    .option(
      "--columns <fields>",
      "table columns after the id, comma-separated: params.lr,metrics.acc,status (default: the params that vary, then metrics)",
    )
    .addOption(new Option("--json", "print JSON").conflicts("csv"))
    .addOption(new Option("--csv", "print CSV (the columns of results.table())").conflicts("json"))
    .addOption(
      new Option(
        "--ids",
        "print only the run ids, one per line (for scripts: RUN=$(labbook runs --limit 1 --ids))",
      ).conflicts(["json", "csv"]),
    );
  addSearchCliOptions(cmd, "runs", 'metrics.acc > 0.9 and params.model = "b"').action(
    (opts: RunsOptions, cmd: Command) =>
      withReadStore(cmd, async (store) => {
        const limit = parseLimit(opts.limit);
        const columns = listOption(opts.columns);
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
          if (opts.ids) return void process.stdout.write(records.map((r) => `${r.runId}\n`).join(""));
          if (opts.json) return out(jsonText({ ...page, data: records }));
          if (opts.csv) return void process.stdout.write(await new Results(store, records).toCsvText());
          const p = page.pagination;
          return out(
            `${runsTable(records, columns)}\npage ${p.page} of ${p.totalPages} (${p.totalResults} matching runs)`,
          );
        }
        const records = await store.listRuns({ experiment, status, limit });
        if (opts.ids) return void process.stdout.write(records.map((r) => `${r.runId}\n`).join(""));
        if (opts.json) return out(jsonText(records));
        if (opts.csv) return void process.stdout.write(await new Results(store, records).toCsvText());
        out(runsTable(records, columns));
      }),
  );
}
