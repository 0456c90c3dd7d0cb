import type {
  FieldInfo,
  SearchPage,
  SearchRow,
  SearchRowsQuery,
  SearchRun,
  SearchRunsQuery,
} from "../search-methods.js";
import { type HttpClient, runPath } from "./http-client.js";

/** Search over HTTP: the remote store's side of the search routes. */
export const remoteSearch = {
  searchRuns(http: HttpClient, query: SearchRunsQuery = {}): Promise<SearchPage<SearchRun>> {
    return http.json("POST", "/search/runs", { json: { ...query } });
  },
  /** Every matching run, page after page by keyset cursor (`pageSize` at most the server's maximum). */
  async *iterateRuns(
    http: HttpClient,
    maxPageSize: number,
    query: SearchRunsQuery = {},
  ): AsyncGenerator<SearchRun> {
    const { page: _ignored, ...rest } = query;
    const pageSize = Math.min(query.pageSize ?? maxPageSize, maxPageSize);
    let cursor: string | undefined;
    for (;;) {
      const page = await remoteSearch.searchRuns(http, { ...rest, pageSize, ...(cursor ? { cursor } : {}) });
      yield* page.data;
      if (!page.nextCursor || page.data.length === 0) return;
      cursor = page.nextCursor;
    }
  },
  /** POSTed as JSON: a filter of thousands of values does not fit in a URL. */
  searchRows(http: HttpClient, runId: string, q: SearchRowsQuery = {}): Promise<SearchPage<SearchRow>> {
    return http.json("POST", runPath(runId, "/rows/search"), { json: { ...q } });
  },
  async fieldCatalog(http: HttpClient, options: { experiment?: string } = {}): Promise<FieldInfo[]> {
    return (
      await http.json<{ data: FieldInfo[] }>("GET", "/fields", { query: { experiment: options.experiment } })
    ).data;
  },
};
