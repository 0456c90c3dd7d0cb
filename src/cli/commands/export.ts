import type { Command } from "commander";
import { invalid } from "../../core/errors.js";
import { Results } from "../../results/results.js";
import { out, withReadStore } from "../context.js";

interface ExportOptions {
  format: string;
  out: string;
  experiment?: string;
  includeFingerprints?: boolean;
  timestamp?: boolean;
}

/** The formats `labbook export` writes. */
export const EXPORT_FORMATS = ["csv"] as const;

/**
 * `labbook export --format csv --out PATH [--experiment E]`: writes the runs table
 * (`results.table()` columns) and prints the path written. A directory gets a time-stamped
 * file name.
 *
 * @example
 * labbook export --format csv --out ./exports/ --experiment logreg-sweep
 */
export function registerExport(program: Command): void {
  program
    .command("export")
    .description("export runs to a file (a directory gets a time-stamped file name)")
    .requiredOption("--format <format>", `file format (${EXPORT_FORMATS.join(", ")})`)
    .requiredOption("--out <path>", "file or directory to write")
    .option("--experiment <name[:version]>", "only runs of this experiment")
    .option("--include-fingerprints", "add params, seed and context fingerprints")
    .option("--timestamp", "add a time stamp to the file name")
    .action((opts: ExportOptions, cmd: Command) =>
      withReadStore(cmd, async (store) => {
        if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) {
          throw invalid("--format", `must be one of ${EXPORT_FORMATS.join(", ")}`, opts.format);
        }
        const results = await Results.fromStore(
          store,
          opts.experiment ? { experiment: opts.experiment } : {},
        );
        const path = await results.toCsv(opts.out, {
          includeFingerprints: opts.includeFingerprints,
          timestamp: opts.timestamp,
        });
        out(`wrote ${results.length} runs to ${path}`);
      }),
    );
}
