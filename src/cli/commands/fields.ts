import type { Command } from "commander";
import { clip, formatValue } from "../../results/format.js";
import { textTable } from "../../results/text-table.js";
import type { FieldInfo } from "../../store/search-methods.js";
import { out, withReadStore } from "../context.js";
import { jsonText } from "../json-out.js";
import { checkExperimentOption } from "../parse-options.js";

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

/** Fields holding times (milliseconds since the epoch), shown as ISO dates. */
const TIME_FIELDS = new Set(["created_at", "started_at", "finished_at"]);

/** A catalog value for a cell: times as ISO dates, the rest as `formatValue` does. */
function show(field: string, v: FieldInfo["values"][number]): string {
  if (TIME_FIELDS.has(field) && typeof v === "number" && Number.isFinite(v)) return new Date(v).toISOString();
  return formatValue(v);
}

/**
 * Distinct values as text: numbers that print alike at 4 digits are printed in full, so
 * distinct values never show as duplicates.
 */
function distinct(field: string, values: FieldInfo["values"]): string[] {
  const texts = values.map((v) => show(field, v));
  const seen = new Map<string, number>();
  for (const t of texts) seen.set(t, (seen.get(t) ?? 0) + 1);
  return values.map((v, i) =>
    (seen.get(texts[i]!) ?? 0) > 1 && typeof v === "number" ? String(v) : texts[i]!,
  );
}

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
    show(f.field, f.min),
    show(f.field, f.max),
    clip(distinct(f.field, f.values).join(", ") + (f.valuesTruncated ? ", …" : ""), 50),
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
        const experiment = await checkExperimentOption(store, opts.experiment);
        const fields = await store.fieldCatalog(experiment === undefined ? {} : { experiment });
        out(opts.json ? jsonText(fields) : fields.length ? formatFields(fields) : "no runs");
      }),
    );
}
