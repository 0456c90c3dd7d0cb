import type { Command } from "commander";
import { invalid } from "../../core/errors.js";
import { csvTarget } from "../../results/csv.js";
import { exportExperiment } from "../../store/exchange/export-experiment.js";
import { exportRunsFile } from "../../store/exchange/runs-file.js";
import { out, withReadStore } from "../context.js";
import { searchFromCli } from "./search-options.js";

interface ExportOptions {
  format: string;
  out: string;
  experiment?: string;
  version?: string;
  where?: string;
  filterJson?: string;
  layout?: string;
  includeFingerprints?: boolean;
  timestamp?: boolean;
  series?: boolean;
  rows?: boolean;
  artifacts?: boolean;
}

/** The formats `labbook export` writes. */
export const EXPORT_FORMATS = ["csv", "parquet", "jsonl"] as const;

/** Whether a parquet export goes to Scythe's layout (a folder or bucket) rather than one file. */
function isLayout(opts: ExportOptions): boolean {
  if (opts.layout !== undefined) {
    if (opts.layout !== "scythe" && opts.layout !== "file")
      throw invalid("--layout", 'must be "scythe" or "file"', opts.layout);
    return opts.layout === "scythe";
  }
  return !/\.(parquet|pq)$/i.test(opts.out);
}

/**
 * `labbook export`: `--format parquet --experiment E [--version V] --out DIR|s3://bucket/prefix`
 * writes Scythe's layout; `--format parquet|csv|jsonl --out FILE [--where ...]` writes one file
 * of the matching runs (a directory gets a time-stamped file name; a parquet file is named
 * `*.parquet` or `*.pq`, or forced with `--layout file`).
 *
 * @example
 * labbook export --format parquet --experiment logreg-sweep --out ./exports
 */
export function registerExport(program: Command): void {
  program
    .command("export")
    .description(
      "export runs: Scythe's Parquet layout (--experiment, --out DIR|s3://...) or one parquet, csv or jsonl file",
    )
    .requiredOption("--format <format>", `file format (${EXPORT_FORMATS.join(", ")})`)
    .requiredOption(
      "--out <path>",
      "folder or s3://bucket/prefix (Scythe's layout), or a file (a directory gets a time-stamped name)",
    )
    .option("--experiment <name[:version]>", "only runs of this experiment")
    .option("--version <semver>", "the experiment version (Scythe's layout; default the latest)")
    .option("--where <filter>", "only runs matching this filter (string syntax)")
    .option("--filter-json <json>", "only runs matching this JSON-operator filter")
    .option("--layout <layout>", "parquet: scythe (a folder) or file (one file); default by --out")
    .option("--include-fingerprints", "add params, seed and context fingerprints (csv, parquet file)")
    .option("--timestamp", "add a time stamp to the file name")
    .option("--series", "jsonl: add each run's metric series")
    .option("--rows", "jsonl: add each run's rows")
    .option("--artifacts", "jsonl: add each run's artifacts (base64) and data")
    .action((opts: ExportOptions, cmd: Command) =>
      withReadStore(cmd, async (store) => {
        if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) {
          throw invalid("--format", `must be one of ${EXPORT_FORMATS.join(", ")}`, opts.format);
        }
        const format = opts.format as (typeof EXPORT_FORMATS)[number];
        const { filter } = searchFromCli({ where: opts.where, filterJson: opts.filterJson });
        if (format === "parquet" && isLayout(opts)) {
          if (!opts.experiment)
            throw invalid("--experiment", "is required for Scythe's layout (or name a *.parquet file)");
          if (filter !== undefined)
            throw invalid(
              "--where",
              "is not taken by Scythe's layout (it exports a whole experiment version)",
            );
          const done = await exportExperiment(store, {
            experiment: opts.experiment,
            version: opts.version,
            out: opts.out,
            progress: true,
          });
          out(`wrote ${done.runs} runs, ${done.rows} rows, ${done.artifacts} artifacts to ${done.uri}`);
          for (const [k, key] of Object.entries(done.keys)) out(`  ${k}: ${key}`);
          return;
        }
        const path = /^s3:\/\//i.test(opts.out)
          ? opts.out
          : csvTarget(opts.out, Boolean(opts.timestamp), new Date(), `.${format}`);
        if (path.startsWith("s3:"))
          throw invalid("--out", "one-file exports are written to a local path", opts.out);
        const n = await exportRunsFile(store, path, {
          format,
          ...(opts.experiment ? { experiment: opts.experiment } : {}),
          ...(filter === undefined ? {} : { filter }),
          includeFingerprints: opts.includeFingerprints,
          series: opts.series,
          rows: opts.rows,
          artifacts: opts.artifacts,
          progress: true,
        });
        out(`wrote ${n} runs to ${path}`);
      }),
    );
}
