import type { Command } from "commander";
import { invalid } from "../../core/errors.js";
import type { AggregateFunction, RunResult } from "../../scores/types.js";
import { CliExit, out, withReadStore } from "../context.js";
import { jsonText } from "../json-out.js";
import { cell, textTable } from "./scores-format.js";

interface ResultOpts {
  aggregate?: string;
  page?: string;
  pageSize?: string;
  failed?: boolean;
  passed?: boolean;
  json?: boolean;
  check?: boolean;
}

const HELP = `
A row passes a metric when its value meets the metric's threshold (labbook's defineMetric:
min, max, passWhen, passingCategories); a datapoint passes when none of its rows fails.
The run succeeds when it finished and every datapoint passed; with --check the command
exits with code 2 when it did not (for CI gates).

Examples:
  labbook result RUN
  labbook result RUN --aggregate median --failed
  labbook result RUN --check || echo "run did not pass"
  labbook result RUN --json --page 2 --page-size 500`;

/** A run result as text: the verdict line, metrics, composites and a page of datapoints. */
export function formatResult(r: RunResult): string {
  const rate = r.passRate === null ? "-" : `${(100 * r.passRate).toFixed(1)}%`;
  const lines = [
    `run ${r.runId} (${r.status}): ${r.success ? "SUCCESS" : "NOT SUCCESSFUL"}, ${r.passed} passed, ${r.failed} failed, pass rate ${rate}`,
    "",
    textTable(
      ["metric", "kind", r.aggregate, "count", "passed", "failed"],
      Object.entries(r.metrics).map(([name, m]) => [
        name,
        m.kind,
        m.kind === "rubric" ? (m.modeCategory ?? "-") : cell(m.aggregate),
        cell(m.count),
        cell(m.passed),
        cell(m.failed),
      ]),
    ),
  ];
  const composites = Object.entries(r.composites);
  if (composites.length > 0) {
    lines.push(
      "",
      textTable(
        ["composite", r.aggregate],
        composites.map(([n, v]) => [n, cell(v)]),
      ),
    );
  }
  const p = r.datapoints.pagination;
  lines.push(
    "",
    textTable(
      ["datapoint", "trials", "passed", "failed metrics"],
      r.datapoints.data.map((d) => [
        d.datapointId,
        cell(d.trials),
        d.passed ? "yes" : "no",
        d.failedMetrics.join(","),
      ]),
    ),
    `page ${p.page} of ${p.totalPages} (${p.totalResults} datapoints)`,
  );
  return lines.join("\n");
}

const whole = (text: string | undefined, field: string) => {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw invalid(field, "must be a whole number", text);
  return Number(text);
};

/** Registers `labbook result RUN_ID`. */
export function registerResult(program: Command): void {
  program
    .command("result")
    .description("a run's result: pass/fail per datapoint, pass rate, metric aggregates, composites")
    .argument("<run-id>", "the run")
    .option("--aggregate <fn>", "average, sum, min, max or median", "average")
    .option("--page <n>", "page of datapoints", "1")
    .option("--page-size <n>", "datapoints per page (at most 1000)", "100")
    .option("--failed", "list only failed datapoints")
    .option("--passed", "list only passed datapoints")
    .option("--json", "print the result as JSON")
    .option("--check", "exit with code 2 unless the run succeeded")
    .addHelpText("after", HELP)
    .action((runId: string, opts: ResultOpts, cmd: Command) =>
      withReadStore(cmd, async (store) => {
        if (opts.failed && opts.passed) throw invalid("--failed", "cannot be combined with --passed");
        const r = await store.runResult(runId, {
          aggregate: opts.aggregate as AggregateFunction,
          page: whole(opts.page, "--page"),
          pageSize: whole(opts.pageSize, "--page-size"),
          datapoints: opts.failed ? "failed" : opts.passed ? "passed" : "all",
        });
        out(opts.json ? jsonText(r) : formatResult(r));
        if (opts.check && !r.success) throw new CliExit(2);
      }),
    );
}
