import type { Command } from "commander";
import { latestExportResults, listExportVersions } from "../../store/exchange/exports-listing.js";
import { out } from "../context.js";
import { jsonText } from "../json-out.js";

interface ExportsOptions {
  out: string;
  version?: string;
  json?: boolean;
}

/**
 * `labbook exports E [--out DIR|s3://bucket/prefix] [--version V] [--json]`: the exported
 * versions of an experiment, the latest one, and the keys of its latest export.
 *
 * @example
 * labbook exports logreg-sweep --out ./exports
 */
export function registerExports(program: Command): void {
  program
    .command("exports <experiment>")
    .description("list the exported versions of an experiment and the files of the latest export")
    .option("--out <path>", "export folder or s3://bucket/prefix", "./exports")
    .option("--version <semver>", "the latest export of this version")
    .option("--json", "print { versions, latestVersion, latest } as JSON")
    .action(async (experiment: string, opts: ExportsOptions) => {
      const versions = await listExportVersions(opts.out, experiment);
      const latest =
        versions.length === 0
          ? null
          : await latestExportResults(opts.out, experiment, { version: opts.version });
      const latestVersion = versions.at(-1)?.version ?? null;
      if (opts.json) {
        out(jsonText({ versions, latestVersion, latest }));
        return;
      }
      if (versions.length === 0) {
        out(`no export of ${experiment} under ${opts.out}`);
        return;
      }
      for (const v of versions) out(`v${v.version}  ${v.stamps.length} export(s), last ${v.stamps.at(-1)}`);
      out(`latest version: ${latestVersion}`);
      out(`latest export: ${latest!.experimentId}`);
      for (const [k, key] of Object.entries(latest!.keys)) out(`  ${k}: ${key}`);
    });
}
