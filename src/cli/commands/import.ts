import type { Command } from "commander";
import { importMlflow } from "../../store/exchange/mlflow-import.js";
import { importRunsJsonl } from "../../store/exchange/run-jsonl-import.js";
import { CliExit, out, withStore } from "../context.js";
import { jsonText } from "../json-out.js";

interface ImportMlflowOptions {
  version: string;
  artifacts: boolean;
  artifactRoot?: string;
  json?: boolean;
}

function reportErrors(errors: readonly { message: string }[], what: (e: never) => string): void {
  for (const e of errors) process.stderr.write(`labbook: ${what(e as never)}: ${e.message}\n`);
}

/**
 * `labbook import mlflow SOURCE` (an `mlruns/` folder, `sqlite:///path/mlflow.db` or
 * `postgresql://user@host:port/db`) and
 * `labbook import jsonl FILE` (runs written by `labbook export --format jsonl`). Both are
 * idempotent, print a summary of counts, report each run or line they could not import on
 * stderr and then exit 1 (the rest is imported).
 *
 * @example
 * labbook import mlflow ./mlruns
 */
export function registerImport(program: Command): void {
  const group = program.command("import").description("import runs from MLflow or from labbook's JSONL");
  group
    .command("mlflow <source>")
    .description(
      "import an MLflow file store folder (mlruns/) or tracking database (sqlite:///path/mlflow.db, postgresql://user@host:port/db)",
    )
    .option("--version <semver>", "the labbook version of the imported experiments", "0.1.0")
    .option("--no-artifacts", "leave artifacts out")
    .option(
      "--artifact-root <dir>",
      "where artifacts copied from MLflow's machine are found (default: the mlruns folder, the SQLite file's folder, or the current folder)",
    )
    .option("--json", "print the report as JSON")
    .action((source: string, opts: ImportMlflowOptions, cmd: Command) =>
      withStore(cmd, async (store) => {
        const r = await importMlflow(store, source, {
          version: opts.version,
          artifacts: opts.artifacts,
          ...(opts.artifactRoot === undefined ? {} : { artifactRoot: opts.artifactRoot }),
          progress: true,
        });
        if (opts.json) out(jsonText(r));
        else {
          out(
            `imported ${r.runs} runs (${r.replaced} updated, ${r.unchanged} unchanged, ${r.deleted} deleted in MLflow left out) of ${r.experiments} experiments from ${r.source}`,
          );
          out(
            `  ${r.params} params, ${r.metrics} metrics, ${r.seriesPoints} metric values, ${r.tags} tags, ${r.artifacts} artifacts`,
          );
        }
        reportErrors(
          r.errors,
          (e: { runId: string; experiment: string }) => `run ${e.runId} (${e.experiment})`,
        );
        if (r.errors.length > 0) throw new CliExit(1);
      }),
    );
  group
    .command("jsonl <file>")
    .description("import runs written by labbook export --format jsonl")
    .option("--json", "print the report as JSON")
    .action((file: string, opts: { json?: boolean }, cmd: Command) =>
      withStore(cmd, async (store) => {
        const r = await importRunsJsonl(store, file, { progress: true });
        if (opts.json) out(jsonText(r));
        else
          out(
            `imported ${r.runs} runs (${r.skipped} already present), ${r.rows} rows, ${r.artifacts} artifacts from ${file}`,
          );
        reportErrors(r.errors, (e: { line: number }) => `line ${e.line}`);
        if (r.errors.length > 0) throw new CliExit(1);
      }),
    );
}
