import type { Command } from "commander";
import { LabbookError } from "../../core/errors.js";
import { textTable } from "../../results/text-table.js";
import { out, withReadStore } from "../context.js";
import { jsonText } from "../json-out.js";

/**
 * `labbook versions EXPERIMENT [--json]`: the SemVer versions of an experiment in order, with
 * their creation time and number of executions; the latest is marked.
 *
 * @example
 * labbook versions grid-search
 */
export function registerVersions(program: Command): void {
  program
    .command("versions")
    .description("list the versions of an experiment in SemVer order")
    .argument("<experiment>", "experiment name")
    .option("--json", "print JSON")
    .action((name: string, opts: { json?: boolean }, cmd: Command) =>
      withReadStore(cmd, async (store) => {
        const versions = await store.listVersions(name);
        if (versions.length === 0) {
          throw new LabbookError("NOT_FOUND", `experiment ${name} does not exist`, { field: "experiment" });
        }
        const executions = await store.listExecutions(name);
        const rows = await Promise.all(
          versions.map(async (version, i) => {
            const e = await store.getExperiment(name, version);
            return {
              version,
              createdAt: e.createdAt,
              executions: executions.filter((x) => x.experimentVersion === version).length,
              latest: i === versions.length - 1,
            };
          }),
        );
        if (opts.json) return out(jsonText(rows));
        out(
          textTable(
            [
              { header: "version" },
              { header: "created" },
              { header: "executions", align: "right" },
              { header: "" },
            ],
            rows.map((r) => [r.version, r.createdAt, String(r.executions), r.latest ? "latest" : ""]),
          ),
        );
      }),
    );
}
