import type { Command } from "commander";
import { invalid } from "../../core/errors.js";
import { clip, formatValue } from "../../results/format.js";
import { textTable } from "../../results/text-table.js";
import { exportRowsFile } from "../../store/exchange/rows-file.js";
import type { SearchPage, SearchRow } from "../../store/search-methods.js";
import { out, withReadStore } from "../context.js";
import { jsonText } from "../json-out.js";
import { addSearchCliOptions, type SearchCliOptions, searchFromCli } from "./search-options.js";

interface RowsOpts extends SearchCliOptions {
  json?: boolean;
  format?: string;
  out?: string;
}

const HELP = `
Fields: datapoint_id, trial, item[.<path>], output[.<path>], scores.<name>, passed (by the
thresholds of the experiment's metric definitions). Operators: = != < <= > >= in, not in,
like, ilike (% any run, _ one character, \\ escapes), exists, and, or, not, parentheses.

Examples:
  labbook rows RUN_ID --where 'scores.exact_match = 0'
  labbook rows RUN_ID --where 'not passed and item.category in ("math", "code")' --sort -scores.f1
  labbook rows RUN_ID --filter-json '{"scores.f1": {"$lt": 0.5}}' --page 2 --page-size 50 --json`;

/**
 * A page of rows as a table: datapoint, trial, passed, each score, item and output clipped.
 *
 * @example
 * out(formatRowsPage(await store.searchRows(runId, { filter: "scores.em = 0" })));
 */
export function formatRowsPage(page: SearchPage<SearchRow>): string {
  const names = [...new Set(page.data.flatMap((r) => Object.keys(r.scores)))].sort();
  const columns = [
    { header: "datapoint_id" },
    { header: "trial", align: "right" as const },
    { header: "passed" },
    ...names.map((n) => ({ header: n, align: "right" as const })),
    { header: "item" },
    { header: "output" },
  ];
  const rows = page.data.map((r) => [
    clip(r.datapointId, 32),
    String(r.trial),
    r.passed ? "yes" : "no",
    ...names.map((n) => (n in r.scores ? formatValue(r.scores[n]) : "")),
    clip(formatValue(r.item), 40),
    clip(formatValue(r.output), 40),
  ]);
  const p = page.pagination;
  const footer = `${p.totalResults} rows; page ${p.page} of ${Math.max(1, p.totalPages)}`;
  return `${textTable(columns, rows)}\n${footer}`;
}

/**
 * Registers `labbook rows RUN_ID`: search a run's rows.
 *
 * @example
 * registerRows(program); // labbook rows RUN_ID --where 'scores.exact_match = 0'
 */
export function registerRows(program: Command): void {
  const cmd = program
    .command("rows <runId>")
    .description("search a run's rows (--where, --filter-json, --sort, --page)")
    .option("--json", "print the page as JSON ({ data, pagination, nextCursor })")
    .option("--format <format>", "with --out: parquet or jsonl (the NVIDIA evaluator's row shape)")
    .option("--out <file>", "write every matching row to a file instead of printing a page");
  addSearchCliOptions(cmd, "rows", "scores.exact_match = 0")
    .addHelpText("after", HELP)
    .action((runId: string, opts: RowsOpts, c: Command) =>
      withReadStore(c, async (store) => {
        if (opts.out !== undefined || opts.format !== undefined) {
          if (opts.out === undefined) throw invalid("--out", "is required with --format");
          const format = opts.format ?? (opts.out.endsWith(".jsonl") ? "jsonl" : "parquet");
          if (format !== "parquet" && format !== "jsonl")
            throw invalid("--format", 'must be "parquet" or "jsonl"', format);
          const { filter } = searchFromCli(opts);
          const n = await exportRowsFile(store, runId, opts.out, {
            format,
            ...(filter === undefined ? {} : { filter }),
            progress: true,
          });
          out(`wrote ${n} rows to ${opts.out}`);
          return;
        }
        const page = await store.searchRows(runId, searchFromCli(opts));
        out(opts.json ? jsonText(page) : formatRowsPage(page));
      }),
    );
}
