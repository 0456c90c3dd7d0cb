import type { Command } from "commander";
import { textTable } from "../../results/text-table.js";
import { out, withReadStore } from "../context.js";
import { jsonText } from "../json-out.js";

/**
 * `labbook executions EXPERIMENT [--json]`: the launches of an experiment, newest first, with
 * their version, status, times and run counts from their manifests. `--objects [--execution ID]`
 * prints an execution's `objects.jsonl` record instead.
 *
 * @example
 * labbook executions grid-search --json
 */
export function registerExecutions(program: Command): void {
  program
    .command("executions")
    .description("list the executions (launches) of an experiment, newest first")
    .argument("<experiment>", "experiment name")
    .option("--json", "print JSON (with manifests)")
    .option("--objects", "print the objects.jsonl record of one execution (the latest, or --execution)")
    .option("--execution <id>", "with --objects: which execution (YYYYMMDD_HHMMSS)")
    .action((name: string, opts: { json?: boolean; objects?: boolean; execution?: string }, cmd: Command) =>
      withReadStore(cmd, async (store) => {
        if (opts.objects) {
          const ref = opts.execution ? { executionId: opts.execution } : {};
          for await (const line of store.executionObjects(name, ref)) process.stdout.write(line);
          return;
        }
        const executions = await store.listExecutions(name);
        if (opts.json) return out(jsonText(executions));
        if (executions.length === 0) return out(`experiment ${name} has no execution`);
        const n = (v: number | undefined) => (v === undefined ? "" : String(v));
        out(
          textTable(
            [
              { header: "execution" },
              { header: "version" },
              { header: "status" },
              { header: "started" },
              { header: "finished" },
              { header: "success", align: "right" },
              { header: "failed", align: "right" },
              { header: "cancelled", align: "right" },
              { header: "skipped", align: "right" },
              { header: "total", align: "right" },
            ],
            executions.map((e) => [
              e.executionId,
              e.experimentVersion,
              e.status,
              e.startedAt,
              e.finishedAt ?? "",
              n(e.manifest?.counts.success),
              n(e.manifest?.counts.failed),
              n(e.manifest?.counts.cancelled),
              n(e.manifest?.counts.skipped),
              n(e.manifest?.counts.total),
            ]),
          ),
        );
      }),
    );
}
