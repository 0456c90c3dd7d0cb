import type { Command } from "commander";
import { invalid } from "../../core/errors.js";
import { loadExperimentModule } from "../../runner/load-module.js";
import { executeExperiment } from "../../runner/run-experiment.js";
import { out, withStore } from "../context.js";
import { jsonText } from "../json-out.js";

interface RunOpts {
  concurrency?: string;
  resume?: boolean;
  rerunFailed?: boolean;
  timeout?: string;
  workers?: string;
  export?: string;
  progress?: boolean;
  json?: boolean;
}

const HELP = `
FILE is a module whose default export (or --export NAME) is an experiment made by
defineExperiment. .js and .mjs files are imported as they are; .ts files need a TypeScript
loader: tsx when it is installed (registered on demand), or run node --import tsx.

Ctrl-C cancels the runs in flight, starts no more and exits with code 130; relaunch with
--resume to run the rest. Runs already stored make a launch fail unless --resume or
--rerun-failed is given.

Examples:
  labbook run experiments/sweep.mjs --concurrency 4
  labbook run experiments/sweep.ts --resume
  labbook run experiments/sweep.ts --rerun-failed --timeout 60000 --workers processes`;

function positiveInt(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw invalid(field, "must be a whole number >= 1", text);
  return n;
}

/** Registers `labbook run FILE`. */
export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run an experiment module's sweep (resumable), recording an execution")
    .argument("<file>", "module exporting an experiment (defineExperiment)")
    .option("--concurrency <n>", "runs at once", "1")
    .option("--resume", "skip runs already stored as success; run the rest")
    .option("--rerun-failed", "rerun failed runs too (implies --resume)")
    .option("--timeout <ms>", "fail a run that takes longer (TIMEOUT)")
    .option("--workers <kind>", "run in worker threads or child processes: threads | processes")
    .option("--export <name>", "the export holding the experiment", "default")
    .option("--no-progress", "no progress bar or lines")
    .option("--json", "print the execution record as JSON")
    .addHelpText("after", HELP)
    .action((file: string, opts: RunOpts, cmd: Command) =>
      withStore(cmd, async (store) => {
        const concurrency = positiveInt(opts.concurrency, "--concurrency") ?? 1;
        const timeoutMs = positiveInt(opts.timeout, "--timeout");
        if (opts.workers !== undefined && opts.workers !== "threads" && opts.workers !== "processes") {
          throw invalid("--workers", "must be threads or processes", opts.workers);
        }
        const experiment = await loadExperimentModule(file, opts.export ?? "default");
        const report = await executeExperiment(experiment, {
          store,
          concurrency,
          resume: opts.resume === true,
          rerunFailed: opts.rerunFailed === true,
          progress: opts.progress !== false,
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
          ...(opts.workers ? { workers: opts.workers as "threads" | "processes" } : {}),
        });
        const { execution, counts } = report;
        if (opts.json) return out(jsonText({ ...execution, interrupted: report.interrupted }));
        out(
          `execution ${execution.executionId} of ${execution.experimentId}${report.interrupted ? " (interrupted)" : ""}: ` +
            `${counts.success} success, ${counts.failed} failed, ${counts.cancelled} cancelled, ${counts.skipped} skipped of ${counts.total} runs`,
        );
      }),
    );
}
