import type { Command } from "commander";
import { out, withReadStore } from "../context.js";
import { numberFlag } from "../parse-options.js";
import { formatGroups } from "./compare-format.js";

/** A filter as given on the command line: JSON when it parses as an object, else the query syntax. */
function filterArg(text: string): string | Record<string, unknown> {
  if (text.trim().startsWith("{")) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Registers `labbook compare-groups --a FILTER --b FILTER --metric NAME`.
 *
 * @example
 * registerCompareGroups(program); // labbook compare-groups --a "params.lr = 0.1" --b "params.lr = 0.01" --metric acc
 */
export function registerCompareGroups(program: Command): void {
  program
    .command("compare-groups")
    .description("compare two groups of runs on metrics with Welch's t-test (delta = mean(A) - mean(B))")
    .requiredOption("--a <filter>", "run filter of group A (query syntax or JSON)")
    .requiredOption("--b <filter>", "run filter of group B (query syntax or JSON)")
    .requiredOption("--metric <names...>", "metric names (repeat or comma-separate)")
    .option("--alpha <p>", "significance level (the CI is 1 - alpha)", "0.05")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `\nExample:\n  labbook compare-groups --a "params.model = 'a'" --b "params.model = 'b'" --metric acc,f1`,
    )
    .action((opts: { a: string; b: string; metric: string[]; alpha: string; json?: boolean }, cmd: Command) =>
      withReadStore(cmd, async (store) => {
        const metrics = opts.metric
          .flatMap((m) => m.split(","))
          .map((m) => m.trim())
          .filter(Boolean);
        const r = await store.compareGroups(filterArg(opts.a), filterArg(opts.b), {
          metrics,
          alpha: numberFlag(opts.alpha, "--alpha"),
        });
        out(opts.json ? JSON.stringify(r, null, 2) : formatGroups(r));
      }),
    );
}
