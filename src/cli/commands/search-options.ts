import { type Command, Option } from "commander";
import { invalid } from "../../core/errors.js";
import type { SearchFilter } from "../../store/search-methods.js";

/** The search options of a listing command, as commander parses them. */
export interface SearchCliOptions {
  where?: string;
  filterJson?: string;
  sort?: string;
  page?: string;
  pageSize?: string;
}

/**
 * Adds `--where`, `--filter-json`, `--sort`, `--page` and `--page-size` to a command that lists
 * `noun` (runs, rows).
 *
 * @example
 * addSearchCliOptions(program.command("rows <runId>"), "rows", "scores.exact_match = 0");
 */
export function addSearchCliOptions(cmd: Command, noun: string, example: string): Command {
  return cmd
    .addOption(new Option("--where <filter>", `string filter, e.g. '${example}'`).conflicts("filterJson"))
    .option("--filter-json <json>", 'JSON-operator filter, e.g. \'{"scores.f1": {"$lt": 0.5}}\'')
    .option(
      "--sort <fields>",
      "sort keys, e.g. -scores.f1,datapoint_id (a leading - is descending; nulls last)",
    )
    .option("--page <n>", "1-based page")
    .option("--page-size <n>", `${noun} per page (1 to 1000; default 100)`);
}

function whole(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw invalid(field, "must be a whole number >= 1", text);
  return Number(text);
}

/**
 * The `filter`, `sort`, `page` and `pageSize` of a search from parsed options (`--where` or
 * `--filter-json`). Errors: `INVALID_ARGUMENT` naming the option.
 *
 * @example
 * searchFromCli({ where: "scores.em = 0", page: "2" }); // { filter: "scores.em = 0", page: 2 }
 */
export function searchFromCli(o: SearchCliOptions): {
  filter?: SearchFilter;
  sort?: string;
  page?: number;
  pageSize?: number;
} {
  let filter: SearchFilter | undefined = o.where;
  if (o.filterJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(o.filterJson);
    } catch (e) {
      throw invalid("--filter-json", `must be JSON (${(e as Error).message})`, o.filterJson);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw invalid("--filter-json", "must be a JSON object of field conditions", o.filterJson);
    }
    filter = parsed as Record<string, unknown>;
  }
  const page = whole(o.page, "--page");
  const pageSize = whole(o.pageSize, "--page-size");
  return {
    ...(filter === undefined ? {} : { filter }),
    ...(o.sort === undefined ? {} : { sort: o.sort }),
    ...(page === undefined ? {} : { page }),
    ...(pageSize === undefined ? {} : { pageSize }),
  };
}
