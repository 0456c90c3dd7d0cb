import { z } from "@hono/zod-openapi";
import type { RunFieldSelection, SearchRowsQuery, SearchRunsQuery } from "../../store/search-methods.js";
import type { App } from "../env.js";
import { cachedQuery } from "../query-cache.js";
import { addRoute, body, input, sendJson } from "../route.js";
import { errors, jsonBody, ok, RunIdParam, strict } from "../schemas/common.js";
import { QueryFilter } from "../schemas/query.js";
import { Row, Run } from "../schemas/records.js";
import { commaList, FieldsParam, parseFilter, SearchPagination, searchParams } from "../schemas/search.js";
import type { RouteDeps } from "./deps.js";

type SearchQuery = { filter?: string; sort?: string; page?: number; page_size?: number; cursor?: string };
type RunsSearchQuery = SearchQuery & { fields?: string; experiment?: string; search?: string };

const SearchParamQuery = z
  .string()
  .optional()
  .openapi({
    param: { name: "search", in: "query" },
    description:
      'The NVIDIA evaluator\'s search: a JSON object whose bare string values are substring matches (`{"name": "llama"}`), or a string matched as a substring of the name, experiment or a tag key',
  });

const page = (item: z.ZodType, name: string) =>
  z
    .object({ data: z.array(item), pagination: SearchPagination, nextCursor: z.string().nullable() })
    .openapi(name);
const RunPage = page(
  Run.partial().extend({ series: z.record(z.string(), z.unknown()).optional() }),
  "RunPage",
);
const RowPage = page(Row.extend({ passed: z.boolean() }), "RowPage");

function runsQuery(q: RunsSearchQuery): SearchRunsQuery {
  const out: SearchRunsQuery = {
    filter: parseFilter(q.filter),
    search: q.search,
    sort: q.sort,
    page: q.page,
    pageSize: q.page_size,
    cursor: q.cursor,
    fields: commaList(q.fields) as RunFieldSelection[] | undefined,
    experiment: q.experiment,
  };
  return prune(out);
}

function prune<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Search over runs (GET with parameters, or POST with a JSON query), a run's rows, and the field catalog. */
export function searchRoutes(app: App, d: RouteDeps): void {
  const max = d.opts.maxPageSize;
  // Dashboards ask the same search again and again: its parameters are validated once.
  const runSearch = cachedQuery<RunsSearchQuery>(async (c, q) =>
    sendJson(await c.var.store.searchRuns(runsQuery(q))),
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/search/runs",
      middleware: [runSearch.before],
      tags: ["search"],
      summary: "One page of the runs matching a filter, in the sort's order (totals and a keyset cursor)",
      request: {
        query: z.object({
          ...searchParams(max),
          search: SearchParamQuery,
          fields: FieldsParam,
          experiment: z
            .string()
            .optional()
            .openapi({ param: { name: "experiment", in: "query" } }),
        }),
      },
      responses: { 200: ok(RunPage, "A page of runs"), ...errors() },
    },
    runSearch.handler,
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/search/runs",
      tags: ["search"],
      summary: "The same search with the query as JSON (long filters; a read: needs only a read key)",
      middleware: [d.json],
      request: {
        body: jsonBody(
          strict(
            {
              filter: QueryFilter.optional(),
              search: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
              sort: z.union([z.string(), z.array(z.string())]).optional(),
              page: z.number().int().min(1).optional(),
              pageSize: z.number().int().min(1).max(max).optional(),
              cursor: z.string().optional(),
              fields: z.array(z.string()).optional(),
              experiment: z.string().optional(),
            },
            "searchRuns",
          ).openapi("SearchRunsQuery"),
        ),
      },
      responses: { 200: ok(RunPage, "A page of runs"), ...errors() },
    },
    async (c) => sendJson(await c.var.store.searchRuns(body<SearchRunsQuery>(c))),
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs/{runId}/rows",
      tags: ["rows"],
      summary:
        "One page of a run's rows matching a row filter (datapoint_id, trial, item.*, output.*, scores.*, passed)",
      request: { params: RunIdParam, query: z.object(searchParams(max)) },
      responses: { 200: ok(RowPage, "A page of rows"), ...errors(404) },
    },
    async (c) => {
      const { runId } = input<{ runId: string }>(c, "param");
      const q = input<SearchQuery>(c, "query");
      const query: SearchRowsQuery = prune({
        filter: parseFilter(q.filter),
        sort: q.sort,
        page: q.page,
        pageSize: q.page_size,
        cursor: q.cursor,
      });
      return sendJson(await c.var.store.searchRows(runId, query));
    },
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/runs/{runId}/rows/search",
      tags: ["rows"],
      summary: "The same row search with the query as JSON (long filters: a URL holds a few kB)",
      middleware: [d.json],
      request: {
        params: RunIdParam,
        body: jsonBody(
          strict(
            {
              filter: QueryFilter.optional(),
              sort: z.union([z.string(), z.array(z.string())]).optional(),
              page: z.number().int().min(1).optional(),
              pageSize: z.number().int().min(1).max(max).optional(),
              cursor: z.string().optional(),
            },
            "searchRows",
          ).openapi("SearchRowsQuery"),
        ),
      },
      responses: { 200: ok(RowPage, "A page of rows"), ...errors(404) },
    },
    async (c) => {
      const { runId } = input<{ runId: string }>(c, "param");
      return sendJson(await c.var.store.searchRows(runId, body<SearchRowsQuery>(c)));
    },
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/fields",
      tags: ["search"],
      summary: "The field catalog: per run field path its types, count, up to 100 values, min and max",
      request: {
        query: z.object({
          experiment: z
            .string()
            .optional()
            .openapi({ param: { name: "experiment", in: "query" } }),
        }),
      },
      responses: {
        200: ok(
          z.object({ data: z.array(z.record(z.string(), z.unknown()).openapi("FieldInfo")) }),
          "Fields",
        ),
        ...errors(),
      },
    },
    async (c) => {
      const { experiment } = input<{ experiment?: string }>(c, "query");
      return sendJson({
        data: await c.var.store.fieldCatalog(experiment === undefined ? {} : { experiment }),
      });
    },
  );
}
