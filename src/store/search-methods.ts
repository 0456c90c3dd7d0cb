import type { JsonObject, JsonValue } from "../core/codec.js";
import type { KnownKeys } from "../core/known-keys.js";
import type { MetricSeries, RowRecord, RunRecord } from "../core/types.js";
import type { SearchParam } from "../query/search-param.js";

/** A filter in either syntax: the string syntax or a JSON-operator object (see `query/SEMANTICS.md`). */
export type SearchFilter = string | Record<string, unknown>;

/** The page numbers of a search. */
export interface Pagination {
  /** 1-based. */
  page: number;
  pageSize: number;
  totalPages: number;
  totalResults: number;
}

/** One page of a search, and the cursor of the next page (`null` on the last page). */
export interface SearchPage<T> {
  data: T[];
  pagination: Pagination;
  nextCursor: string | null;
}

/** The largest page a search returns (`pageSize` above it is refused). */
export const MAX_PAGE_SIZE = 1000;
/** The page size of a search that gives none. */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * What each run of a search carries besides its own columns (id, experiment, name, status,
 * seed, tags, error, times, fingerprints): `params`, `metrics` (or `metrics.<name>`), `derived`
 * (or `derived.<name>`), `series` (or `series.<name>`: the full per-step histories).
 */
export type RunFieldSelection =
  | "params"
  | "metrics"
  | "derived"
  | "series"
  | `${"metrics" | "derived" | "series"}.${string}`;

export interface SearchRunsQuery {
  /** Either syntax; omitted: every run. */
  filter?: SearchFilter;
  /**
   * The NVIDIA evaluator's `search` parameter, `and`ed with `filter`: a JSON-operator object
   * whose bare string values are substring matches (`{ name: "llama" }`), or one string
   * matched as a substring of the run's name, experiment or a tag key (`"llama"`).
   */
  search?: SearchParam;
  /** `-metrics.acc,created_at`: a leading `-` is descending; nulls last; ties by `run_id`. Default `-created_at`. */
  sort?: string | string[];
  /** 1-based page; default 1. Ignored when `cursor` is given. */
  page?: number;
  /** 1 to {@link MAX_PAGE_SIZE}; default {@link DEFAULT_PAGE_SIZE}. */
  pageSize?: number;
  /** The `nextCursor` of the previous page of the same query (keyset paging: cheap deep pages). */
  cursor?: string;
  /**
   * What each run carries; default `["params", "metrics", "derived"]` (a whole {@link RunRecord}).
   * `[]` lists runs without reading params, metrics, derived values or series.
   */
  fields?: readonly RunFieldSelection[];
  /** Only runs of this experiment: `name` (every version) or `name:version`. */
  experiment?: string;
}

/** Every key of {@link SearchRunsQuery} (an unknown key is refused, naming the nearest). */
export const SEARCH_RUNS_KEYS = {
  filter: true,
  search: true,
  sort: true,
  page: true,
  pageSize: true,
  cursor: true,
  fields: true,
  experiment: true,
} as const satisfies KnownKeys<SearchRunsQuery>;

/** A run as a search returns it: a {@link RunRecord} whose parts are present when selected by `fields`. */
export interface SearchRun extends Omit<RunRecord, "params" | "metrics" | "derived"> {
  params?: JsonObject;
  metrics?: Record<string, number>;
  derived?: Record<string, JsonValue>;
  series?: Record<string, MetricSeries>;
}

export interface SearchRowsQuery {
  /** Either syntax over `datapoint_id`, `trial`, `item.*`, `output.*`, `scores.*`, `passed`. */
  filter?: SearchFilter;
  /** Default `datapoint_id,trial`; ties by `datapoint_id, trial`. */
  sort?: string | string[];
  page?: number;
  pageSize?: number;
  cursor?: string;
}

/** Every key of {@link SearchRowsQuery}. */
export const SEARCH_ROWS_KEYS = {
  filter: true,
  sort: true,
  page: true,
  pageSize: true,
  cursor: true,
} as const satisfies KnownKeys<SearchRowsQuery>;

/** One row of a search, with `passed` judged by the metric definitions' thresholds. */
export interface SearchRow extends RowRecord {
  passed: boolean;
}

/** What a field path holds across runs (for filter controls and completion). */
export interface FieldInfo {
  /** `params.lr`, `metrics.acc`, `tags.stage`, `status`... */
  field: string;
  /** Value types seen: `number`, `string`, `boolean`, `null`, `array`, `object`. */
  types: string[];
  /** Runs that have the field. */
  count: number;
  /** Up to 100 distinct values (sorted; NaN spelled as `NaN`), and whether there are more. */
  values: (number | string | boolean | null)[];
  valuesTruncated: boolean;
  /** Smallest and largest number (NaN ignored), or string (code point order); `null` when none. */
  min: number | string | null;
  max: number | string | null;
}

/**
 * Search over a store's runs and rows: one query language in two syntaxes (see
 * `src/query/SEMANTICS.md`), run inside the store.
 *
 * Operators: `= != < <= > >= in, not in, like, ilike, contains, icontains, exists, and, or, not`
 * (string syntax; `like` takes SQL patterns) and `$eq $ne $lt $lte $gt $gte $in $nin $like $ilike
 * $sqlLike $sqlIlike $exists $and $or $not` (JSON; a bare value is `$eq`; `$like` is a substring
 * match, as in the NVIDIA evaluator). Paging: `page`/`pageSize` (at most {@link MAX_PAGE_SIZE}) with totals, or the keyset
 * `nextCursor` for deep pages. Errors: `INVALID_ARGUMENT` for a bad filter (naming the position
 * or the JSON path, and what was expected), sort, page, page size, cursor or field selection;
 * `NOT_FOUND` for an unknown run of `searchRows`.
 */
export interface SearchMethods {
  /**
   * One page of the runs matching a filter, in the sort's order.
   *
   * @example
   * const { data, pagination, nextCursor } = await store.searchRuns({
   *   filter: 'metrics.acc > 0.5 and params.model = "b"', sort: "-metrics.acc", pageSize: 50 });
   * await store.searchRuns({ search: { name: "llama" } }); // runs whose name contains "llama"
   */
  searchRuns(query?: SearchRunsQuery): Promise<SearchPage<SearchRun>>;
  /**
   * Every run matching a query, page after page (keyset cursor; memory bounded by one page).
   * `page` is ignored; `pageSize` sets the batch (default {@link MAX_PAGE_SIZE}).
   *
   * @example
   * for await (const run of store.iterateRuns({ filter: "status = \"failed\"", fields: [] })) console.log(run.runId);
   */
  iterateRuns(query?: SearchRunsQuery): AsyncIterable<SearchRun>;
  /**
   * One page of a run's rows matching a row filter.
   *
   * @example
   * await store.searchRows(runId, { filter: "scores.exact_match = 0 and not passed" });
   */
  searchRows(runId: string, query?: SearchRowsQuery): Promise<SearchPage<SearchRow>>;
  /**
   * Per field path of the runs (of one experiment, when given): its types, how many runs have
   * it, up to 100 distinct values, min and max.
   *
   * @example
   * const fields = await store.fieldCatalog({ experiment: "mnist" });
   */
  fieldCatalog(options?: { experiment?: string }): Promise<FieldInfo[]>;
}
