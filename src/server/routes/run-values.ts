import { z } from "@hono/zod-openapi";
import { MAX_SERIES_POINTS } from "../../store/series-points.js";
import type { App } from "../env.js";
import { addRoute, body, input, sendJson } from "../route.js";
import {
  errors,
  Json,
  jsonBody,
  listOf,
  ok,
  RunAndNameParams,
  RunIdParam,
  strict,
} from "../schemas/common.js";
import { DataDescriptor, DownsampledSeries, Series } from "../schemas/records.js";
import type { RouteDeps } from "./deps.js";

const tags = ["runs"];
type RunName = { runId: string; name: string };

/** A run's metric series and structured data. */
export function runValueRoutes(app: App, d: RouteDeps): void {
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs/{runId}/series",
      tags,
      summary: "Names of the metrics of a run that have a series",
      request: { params: RunIdParam },
      responses: { 200: ok(listOf(z.string()), "Series names"), ...errors(404) },
    },
    async (c) => sendJson({ data: await c.var.store.listSeries(input<{ runId: string }>(c, "param").runId) }),
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs/{runId}/series/{name}",
      tags,
      summary:
        "The full series of a stepped metric, by step then time; with max_points, cut inside the store into at most that many buckets (mean, min and max each)",
      request: {
        params: RunAndNameParams,
        query: z.object({
          max_points: z.coerce
            .number()
            .int()
            .min(2)
            .max(MAX_SERIES_POINTS)
            .optional()
            .openapi({
              param: { name: "max_points", in: "query" },
              description: `2 to ${MAX_SERIES_POINTS}: answer a DownsampledSeries of at most that many buckets`,
            }),
        }),
      },
      responses: {
        200: ok(
          z.union([Series, DownsampledSeries]),
          "The series (empty when never logged); a DownsampledSeries with max_points",
        ),
        ...errors(404),
      },
    },
    async (c) => {
      const p = input<RunName>(c, "param");
      const { max_points } = input<{ max_points?: number }>(c, "query");
      if (max_points !== undefined) {
        return sendJson(await c.var.store.downsampleSeries(p.runId, p.name, { maxPoints: max_points }));
      }
      return sendJson(await c.var.store.getSeries(p.runId, p.name));
    },
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs/{runId}/data",
      tags: ["data"],
      summary: "Descriptors of a run's structured data",
      request: { params: RunIdParam },
      responses: { 200: ok(listOf(DataDescriptor), "Data"), ...errors(404) },
    },
    async (c) => sendJson({ data: await c.var.store.listData(input<{ runId: string }>(c, "param").runId) }),
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs/{runId}/data/{name}",
      tags: ["data"],
      summary: "One structured value (typed arrays as {$typed, data})",
      request: { params: RunAndNameParams },
      responses: { 200: ok(z.object({ value: Json }), "The value"), ...errors(404) },
    },
    async (c) => {
      const p = input<RunName>(c, "param");
      return sendJson({ value: await c.var.store.getData(p.runId, p.name) });
    },
  );
  addRoute(
    app,
    {
      method: "put",
      path: "/api/v1/runs/{runId}/data/{name}",
      tags: ["data"],
      summary: "Store structured data (arrays and typed arrays keep shape and dtype)",
      middleware: [d.json],
      request: { params: RunAndNameParams, body: jsonBody(strict({ value: Json }, "putData")) },
      responses: { 200: ok(DataDescriptor, "Stored"), ...errors(404, 409) },
    },
    async (c) => {
      const p = input<RunName>(c, "param");
      return sendJson(await c.var.store.putData(p.runId, p.name, body<{ value: unknown }>(c).value));
    },
  );
}
