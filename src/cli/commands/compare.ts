import type { Command, CommanderError } from "commander";
import type { CompareVerdict } from "../../compare/types.js";
import { CliExit, out, withReadStore } from "../context.js";
import { numberFlag } from "../parse-options.js";
import { formatComparison } from "./compare-format.js";

/** Exit code of each verdict. */
export const VERDICT_EXIT_CODES: Record<CompareVerdict, number> = {
  pass: 0,
  block: 1,
  warn: 2,
  inconclusive: 3,
};

const HELP = `
Exit codes:
  0  pass          no metric degraded significantly, and every metric has at least 10 paired datapoints
  2  warn          a metric degraded significantly (p < alpha) by no more than --max-drop
  1  block         a metric degraded significantly by more than --max-drop (or a usage error)
  3  inconclusive  no common datapoint, or a metric has fewer than 10 paired datapoints

Tests: McNemar's exact test for 0/1 and pass/fail scores, the sign test for rubric category
ranks, a seeded paired permutation test for continuous scores; CI: seeded bootstrap of the
mean paired delta. Repeated trials are averaged per datapoint; NaN pairs are left out.

Examples:
  labbook compare run-new run-old
  labbook compare run-new run-old --max-drop 0.02 --alpha 0.01 --markdown >> $GITHUB_STEP_SUMMARY
  labbook compare run-new run-old --metrics acc,latency --json`;

interface CompareOpts {
  maxDrop?: string;
  alpha?: string;
  seed?: string;
  metrics?: string;
  aggregate?: string;
  ids?: boolean;
  json?: boolean;
  markdown?: boolean;
}

/**
 * Registers `labbook compare NEW_RUN OLD_RUN` (exit 0 pass, 2 warn, 1 block, 3 inconclusive).
 *
 * @example
 * registerCompare(program); // labbook compare run-new run-old --max-drop 0.02
 */
export function registerCompare(program: Command): void {
  program
    .command("compare")
    .description("compare a new run with an old one datapoint by datapoint, with significance and a verdict")
    .argument("<new-run>", "the new run id")
    .argument("<old-run>", "the old (baseline) run id")
    .option("--max-drop <x>", "largest tolerated significant drop of a metric (its units)", "0.01")
    .option("--alpha <p>", "significance level", "0.05")
    .option("--seed <n>", "seed of the permutation test and the bootstrap")
    .option("--metrics <names>", "comma-separated score names (default: every score both runs have)")
    .option("--aggregate <fn>", "average, sum, min, max or median", "average")
    .option("--ids", "list the ids of datapoints only in one run (with --json)")
    .option("--json", "print the whole result as JSON")
    .option("--markdown", "print a Markdown table (for CI summaries)")
    .addHelpText("after", HELP)
    // A usage error (missing run, unknown option) must not exit 2, which means `warn` here.
    .exitOverride((err: CommanderError) => {
      if (err.exitCode === 0) throw err;
      throw new CliExit(1);
    })
    .action((newRun: string, oldRun: string, opts: CompareOpts, cmd: Command) =>
      withReadStore(cmd, async (store) => {
        const r = await store.compareRuns(newRun, oldRun, {
          maxDrop: numberFlag(opts.maxDrop, "--max-drop"),
          alpha: numberFlag(opts.alpha, "--alpha"),
          ...(opts.seed !== undefined ? { seed: numberFlag(opts.seed, "--seed") } : {}),
          ...(opts.metrics ? { metrics: opts.metrics.split(",").map((s) => s.trim()) } : {}),
          aggregate: opts.aggregate as "average",
          includeIds: opts.ids === true,
        });
        out(opts.json ? JSON.stringify(r, null, 2) : formatComparison(r, opts.markdown === true));
        const code = VERDICT_EXIT_CODES[r.verdict];
        if (code !== 0) throw new CliExit(code);
      }),
    );
}
