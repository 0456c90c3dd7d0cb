import { sql } from "kysely";
import { decodeJson } from "../../../core/codec.js";
import { checkOptions } from "../../../core/known-keys.js";
import type { ScoreValue } from "../../../core/types.js";
import { parseQuery } from "../../../query/parse.js";
import { rowPassed } from "../../../query/records.js";
import { parseSort } from "../../../query/sort.js";
import {
  SEARCH_ROWS_KEYS,
  type SearchPage,
  type SearchRow,
  type SearchRowsQuery,
} from "../../search-methods.js";
import type { SqlContext } from "../context.js";
import { runWithExperiment } from "../scores/metric-defs.js";
import { chunks } from "../shared/encode.js";
import { orderedPage } from "./ordered-page.js";
import { checkPaging, pagination, queryDigest } from "./paging.js";
import { runThresholds } from "./scope.js";

/**
 * One page of a run's matching rows; see {@link SearchMethods.searchRows}.
 *
 * @example
 * await searchRows(store.ctx, runId, { filter: "not passed", sort: "-scores.f1" });
 */
export async function searchRows(
  ctx: SqlContext,
  runId: string,
  query: SearchRowsQuery = {},
): Promise<SearchPage<SearchRow>> {
  checkOptions(query, SEARCH_ROWS_KEYS, "searchRows");
  const filter = parseQuery(query.filter, "rows");
  const sort = parseSort(query.sort, "rows");
  const { page, pageSize } = checkPaging(query.page, query.pageSize);
  const run = await runWithExperiment(ctx, runId);
  const thresholds = await runThresholds(ctx, run.experimentName, run.experimentVersion);
  const digest = queryDigest(["rows", ctx.workspace, runId, filter, sort.map((k) => [k.field, k.desc])]);
  const res = await orderedPage(ctx, {
    scope: "rows",
    base: sql`w.run_pk = ${run.id}`,
    filter,
    sort,
    page,
    pageSize,
    cursor: query.cursor,
    digest,
    thresholds,
    totals: true,
  });
  const byId = new Map<number, SearchRow>();
  for (const part of chunks(res.ids, 900)) {
    const rows = await ctx.db
      .selectFrom("run_rows")
      .select(["id", "datapoint_id", "trial", "item", "output", "scores", "requests"])
      .where("id", "in", part)
      .execute();
    for (const r of rows) {
      const scores = decodeJson<Record<string, ScoreValue>>(r.scores);
      byId.set(Number(r.id), {
        datapointId: r.datapoint_id,
        trial: Number(r.trial),
        item: decodeJson(r.item),
        output: decodeJson(r.output),
        scores,
        requests: decodeJson(r.requests),
        passed: rowPassed(scores, thresholds),
      });
    }
  }
  return {
    data: res.ids.map((id) => byId.get(id)).filter((r): r is SearchRow => r !== undefined),
    pagination: pagination(res.page, pageSize, res.total ?? 0),
    nextCursor: res.nextCursor,
  };
}
