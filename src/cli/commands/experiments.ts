import type { Command } from "commander";
import { textTable } from "../../results/text-table.js";
import { out, withReadStore } from "../context.js";
import { jsonText } from "../json-out.js";

/**
 * `labbook experiments [--json]`: every experiment of the store (name, version, description,
 * tags, created time).
 *
 * @example
 * labbook experiments --store ./labbook
 */
export function registerExperiments(program: Command): void {
  program
    .command("experiments")
    .description("list the experiments of the store")
    .option("--json", "print JSON")
    .action((opts: { json?: boolean }, cmd: Command) =>
      withReadStore(cmd, async (store) => {
        const experiments = await store.listExperiments();
        if (opts.json) return out(jsonText(experiments));
        if (experiments.length === 0) return out("no experiments");
        out(
          textTable(
            [
              { header: "name" },
              { header: "version" },
              { header: "description" },
              { header: "tags" },
              { header: "created" },
            ],
            experiments.map((e) => [
              e.name,
              e.version,
              e.description ?? "",
              Object.entries(e.tags)
                .map(([k, v]) => (v === "" ? k : `${k}=${v}`))
                .join(","),
              e.createdAt,
            ]),
          ),
        );
      }),
    );
}
