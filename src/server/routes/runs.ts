import { z } from "@hono/zod-openapi";
import { invalid } from "../../core/errors.js";
import { RUN_STATUSES, type RunStatus, type StartRunInput } from "../../core/types.js";
import { junction, type QueryNode } from "../../query/ast.js";
import { parseQuery } from "../../query/parse.js";
import { printQuery } from "../../query/print.js";
import type { RunFieldSelection, SearchRunsQuery } from "../../store/search-methods.js";
import type { HeartbeatInput, RunWrite, RunWriteBatch } from "../../store/types.js";
import type { App } from "../env.js";
import { addRoute, body, input, noContent, sendJson } from "../route.js";
import {
  errors,
  JsonObject,
  jsonBody,
  limitOffset,
  NoContent,
  ok,
  RunIdParam,
  strict,
} from "../schemas/common.js";
import { RunWriteBatch as Batch, Run, RunCreate, StartRun } from "../schemas/records.js";
import { commaList, FieldsParam, parseFilter, SearchPagination, searchParams } from "../schemas/search.js";
import type { RouteDeps } from "./deps.js";

const tags = ["runs"];

type ListingQuery = {
  experiment?: string;
  status?: string;
  limit?: number;
  offset?: number;
  filter?: string;
  sort?: string;
  page?: number;
  page_size?: number;
  cursor?: string;
  fields?: string;
};

/** The parameters that make a listing a search. */
const SEARCH_KEYS = ["filter", "sort", "page", "page_size", "cursor", "fields"] as const;

const RunListing = z
  .object({
    data: z.array(Run.partial().extend({ series: z.record(z.string(), z.unknown()).optional() })),
    pagination: SearchPagination.optional(),
    nextCursor: z.string().nullable().optional(),
  })
  .openapi("RunListing");

/** A listing's search: its filter and-ed with its statuses. */
function listingSearch(q: ListingQuery, statuses: RunStatus[] | undefined): SearchRunsQuery {
  const parsed = q.filter === undefined ? null : parseQuery(parseFilter(q.filter), "runs");
  const status = statuses ? parseQuery({ status: { $in: statuses } }, "runs") : null;
  const parts = [parsed, status].filter((n): n is QueryNode => n !== null);
  const out: SearchRunsQuery = {
    filter:
      parts.length === 0 ? undefined : printQuery(parts.length === 1 ? parts[0]! : junction("and", parts)),
    sort: q.sort,
    page: q.page,
    pageSize: q.page_size,
    cursor: q.cursor,
    fields: commaList(q.fields) as RunFieldSelection[] | undefined,
    experiment: q.experiment,
  };
  for (const k of Object.keys(out) as (keyof SearchRunsQuery)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/** Runs: prepare, create, write batches (metrics, rows, tags, end), get, list, delete, derived values. */
export function runRoutes(app: App, d: RouteDeps): void {
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs",
      tags,
      summary:
        "Runs, newest first, by experiment and status; with a filter, a sort or paging, a search page (as GET /search/runs)",
      request: {
        query: z.object({
          experiment: z
            .string()
            .optional()
            .openapi({ param: { name: "experiment", in: "query" } }),
          status: z
            .string()
            .optional()
            .openapi({ param: { name: "status", in: "query" }, description: "One status or a comma list" }),
          ...limitOffset(d.opts.maxPageSize),
          ...searchParams(d.opts.maxPageSize),
          fields: FieldsParam,
        }),
      },
      responses: { 200: ok(RunListing, "Runs (with pagination and nextCursor when searched)"), ...errors() },
    },
    async (c) => {
      const q = input<ListingQuery>(c, "query");
      const statuses = q.status?.split(",").map((s) => s.trim()) as RunStatus[] | undefined;
      for (const s of statuses ?? []) {
        if (!RUN_STATUSES.includes(s))
          throw invalid("status", `must be one of ${RUN_STATUSES.join(", ")}`, s);
      }
      const searched = SEARCH_KEYS.filter((k) => q[k] !== undefined);
      if (searched.length === 0) {
        const runs = await c.var.store.listRuns({
          experiment: q.experiment,
          status: statuses,
          limit: q.limit ?? d.opts.maxPageSize,
          offset: q.offset,
        });
        return sendJson({ data: runs });
      }
      const paging = (["limit", "offset"] as const).find((k) => q[k] !== undefined);
      if (paging) {
        throw invalid(
          paging,
          `is not taken with ${searched.join(", ")}: page a search with page and page_size (or cursor)`,
          q[paging],
        );
      }
      return sendJson(await c.var.store.searchRuns(listingSearch(q, statuses)));
    },
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/runs/prepare",
      tags,
      summary:
        "Check a run's input and fix its id, experiment, start time and fingerprints, without writing it",
      middleware: [d.json],
      request: { body: jsonBody(StartRun) },
      responses: { 200: ok(RunCreate, "The run, ready to be created by its first batch"), ...errors(409) },
    },
    async (c) => sendJson(await c.var.store.prepareRun(body<StartRunInput>(c))),
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/runs",
      tags,
      summary: "Start a run (status running) at once",
      middleware: [d.json],
      request: { body: jsonBody(StartRun) },
      responses: { 201: ok(Run, "The new run"), ...errors(409) },
    },
    async (c) => sendJson(await c.var.store.createRun(body<StartRunInput>(c)), 201),
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs/{runId}",
      tags,
      summary: "One run",
      request: { params: RunIdParam },
      responses: { 200: ok(Run, "The run"), ...errors(404) },
    },
    async (c) => sendJson(await c.var.store.getRun(input<{ runId: string }>(c, "param").runId)),
  );
  addRoute(
    app,
    {
      method: "delete",
      path: "/api/v1/runs/{runId}",
      tags,
      summary: "Delete a run and everything it holds",
      request: { params: RunIdParam },
      responses: { 204: NoContent, ...errors(404) },
    },
    async (c) => {
      await c.var.store.deleteRun(input<{ runId: string }>(c, "param").runId);
      return noContent();
    },
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/runs/{runId}/batch",
      tags,
      summary:
        "Write metrics, rows and tags, and end the run (success, failed, cancelled), in one transaction",
      middleware: [d.json],
      request: { params: RunIdParam, body: jsonBody(Batch) },
      responses: { 204: NoContent, ...errors(404, 409) },
    },
    async (c) => {
      await c.var.store.writeRun(input<{ runId: string }>(c, "param").runId, body<RunWriteBatch>(c));
      return noContent();
    },
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/runs/batches",
      tags,
      summary:
        "Write several runs' batches (each as /runs/{runId}/batch takes it) in one transaction: imports",
      middleware: [d.json],
      request: {
        body: jsonBody(
          strict({ writes: z.array(strict({ runId: z.string(), batch: Batch }, "RunWrite")) }, "RunWrites"),
        ),
      },
      responses: { 204: NoContent, ...errors(404, 409) },
    },
    async (c) => {
      await c.var.store.writeRuns(body<{ writes: RunWrite[] }>(c).writes);
      return noContent();
    },
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/runs/row-counts",
      tags,
      summary: "How many rows each of these runs that exists holds (a read: needs only a read key)",
      middleware: [d.json],
      request: { body: jsonBody(strict({ runIds: z.array(z.string()) }, "rowCounts")) },
      responses: { 200: ok(z.record(z.string(), z.number()), "Rows by run id"), ...errors() },
    },
    async (c) => sendJson(await c.var.store.countRowsOfRuns(body<{ runIds: string[] }>(c).runIds)),
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/heartbeat",
      tags,
      summary:
        "Mark runs and executions alive now (a crashed one is running again); without one for the server's heartbeat timeout, they read crashed",
      middleware: [d.json],
      request: {
        body: jsonBody(
          strict(
            {
              runIds: z.array(z.string()).optional(),
              executions: z
                .array(strict({ name: z.string(), executionId: z.string() }, "an execution reference"))
                .optional(),
            },
            "heartbeat",
          ).openapi("Heartbeat"),
        ),
      },
      responses: { 204: NoContent, ...errors() },
    },
    async (c) => {
      await c.var.store.heartbeat(body<HeartbeatInput>(c));
      return noContent();
    },
  );
  addRoute(
    app,
    {
      method: "put",
      path: "/api/v1/runs/{runId}/derived",
      tags,
      summary: "Add or replace derived values beside a run",
      middleware: [d.json],
      request: {
        params: RunIdParam,
        body: jsonBody(strict({ values: JsonObject, overwrite: z.boolean().optional() }, "setDerived")),
      },
      responses: { 204: NoContent, ...errors(404) },
    },
    async (c) => {
      const b = body<{ values: Record<string, unknown>; overwrite?: boolean }>(c);
      const opts = b.overwrite === undefined ? undefined : { overwrite: b.overwrite };
      await c.var.store.setDerived(input<{ runId: string }>(c, "param").runId, b.values, opts);
      return noContent();
    },
  );
}
