import type { Command } from "commander";
import { clip, formatValue } from "../../results/format.js";
import { textTable } from "../../results/text-table.js";
import type { FieldInfo } from "../../store/search-methods.js";
import { out, withReadStore } from "../context.js";
import { jsonText } from "../json-out.js";

interface FieldsOpts {
  experiment?: string;
  json?: boolean;
}

const HELP = `
Every field path a filter or sort can use, with its value types, the number of runs that have
it, min and max, and its first distinct values (up to 100 with --json).

Examples:
  labbook fields
  labbook fields --experiment sweep --json`;

/**
 * The field catalog as a table.
 *
 * @example
 * out(formatFields(await store.fieldCatalog()));
 */
export function formatFields(fields: readonly FieldInfo[]): string {
  const rows = fields.map((f) => [
    f.field,
    f.types.join("|"),
    String(f.count),
    formatValue(f.min),
    formatValue(f.max),
    clip(f.values.map((v) => formatValue(v)).join(", ") + (f.valuesTruncated ? ", …" : ""), 50),
  ]);
  return textTable(
    [
      { header: "field" },
      { header: "types" },
      { header: "runs", align: "right" },
      { header: "min", align: "right" },
      { header: "max", align: "right" },
      { header: "values" },
    ],
    rows,
  );
}

/**
 * Registers `labbook fields`: the field catalog of the runs.
 *
 * @example
 * registerFields(program); // labbook fields --experiment sweep
 */
export function registerFields(program: Command): void {
  program
    .command("fields")
    .description("the fields of the runs (types, counts, values, min, max) for filters and sorts")
    .option("--experiment <name>", "only runs of this experiment (name or name:version)")
    .option("--json", "print the catalog as JSON")
    .addHelpText("after", HELP)
    .action((opts: FieldsOpts, c: Command) =>
      withReadStore(c, async (store) => {
        const fields = await store.fieldCatalog(
          opts.experiment === undefined ? {} : { experiment: opts.experiment },
        );
        out(opts.json ? jsonText(fields) : fields.length ? formatFields(fields) : "no runs");
      }),
    );
}
