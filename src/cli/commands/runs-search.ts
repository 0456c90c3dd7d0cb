import type { RunStatus } from "../../core/types.js";
import type { SearchFilter, SearchRunsQuery } from "../../store/search-methods.js";
import { type SearchCliOptions, searchFromCli } from "./search-options.js";

/** True when any search option (`--where`, `--filter-json`, `--sort`, `--page`, `--page-size`) was given. */
export function wantsSearch(o: SearchCliOptions): boolean {
  return [o.where, o.filterJson, o.sort, o.page, o.pageSize].some((v) => v !== undefined);
}

function withStatus(
  filter: SearchFilter | undefined,
  status: RunStatus[] | undefined,
): SearchFilter | undefined {
  if (!status) return filter;
  const json = { status: { $in: status } };
  if (filter === undefined) return json;
  if (typeof filter === "string") {
    return `(${filter}) and status in (${status.map((s) => JSON.stringify(s)).join(", ")})`;
  }
  return { $and: [filter, json] };
}

/**
 * The `searchRuns` query of `labbook runs` options: `--where` or `--filter-json` combined with
 * `--status`; `--limit` is the page size when `--page-size` is not given.
 *
 * @example
 * runsSearchQuery({ where: "metrics.acc > 0.9" }, { status: ["success"], limit: 10 });
 */
export function runsSearchQuery(
  o: SearchCliOptions,
  extra: { experiment?: string; status?: RunStatus[]; limit?: number },
): SearchRunsQuery {
  const base = searchFromCli(o);
  const filter = withStatus(base.filter, extra.status);
  const pageSize = base.pageSize ?? extra.limit;
  return {
    ...base,
    ...(filter === undefined ? {} : { filter }),
    ...(pageSize === undefined ? {} : { pageSize }),
    ...(extra.experiment === undefined ? {} : { experiment: extra.experiment }),
  };
}
