import { z } from "@hono/zod-openapi";
import type { CompareGroupsOptions, CompareRunsOptions } from "../../compare/types.js";
import type { AggregateFunction, QueryInput } from "../../scores/types.js";
import type { App } from "../env.js";
import { addRoute, body, input, sendJson } from "../route.js";
import { errors, jsonBody, ok, strict } from "../schemas/common.js";
import { QueryFilter } from "../schemas/query.js";
import type { RouteDeps } from "./deps.js";

const tags = ["compare"];
const qp = (name: string) => ({ param: { name, in: "query" as const } });
const CompareQuery = z.object({
  aggregate_function: z
    .enum(["average", "sum", "min", "max", "median"])
    .optional()
    .openapi(qp("aggregate_function")),
  metrics: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ ...qp("metrics"), description: "Repeat for several metrics" }),
  max_drop: z.coerce.number().optional().openapi(qp("max_drop")),
  alpha: z.coerce.number().optional().openapi(qp("alpha")),
  seed: z.coerce.number().int().optional().openapi(qp("seed")),
  include_ids: z.enum(["true", "false"]).optional().openapi(qp("include_ids")),
  id_limit: z.coerce.number().int().optional().openapi(qp("id_limit")),
  continuous_test: z.enum(["permutation", "sign"]).optional().openapi(qp("continuous_test")),
});
type CompareQuery = {
  aggregate_function?: AggregateFunction;
  metrics?: string | string[];
  max_drop?: number;
  alpha?: number;
  seed?: number;
  include_ids?: "true" | "false";
  id_limit?: number;
  continuous_test?: "permutation" | "sign";
};

const GroupsBody = strict(
  {
    filterA: QueryFilter,
    filterB: QueryFilter,
    options: strict({ metrics: z.array(z.string()), alpha: z.number().optional() }, "compareGroups"),
  },
  "POST /compare-groups",
).openapi("CompareGroupsRequest");

/** `GET /runs/{new}/compare-with/{old}` and `POST /compare-groups`. */
export function compareRoutes(app: App, d: RouteDeps): void {
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs/{newRunId}/compare-with/{oldRunId}",
      tags,
      summary: "Compare a new run with an old one datapoint by datapoint, with a verdict (pass, warn, block)",
      request: {
        params: z.object({
          newRunId: z.string().openapi({ param: { name: "newRunId", in: "path" } }),
          oldRunId: z.string().openapi({ param: { name: "oldRunId", in: "path" } }),
        }),
        query: CompareQuery,
      },
      responses: {
        200: ok(z.record(z.string(), z.unknown()).openapi("CompareRunsResult"), "The comparison"),
        ...errors(404),
      },
    },
    async (c) => {
      const { newRunId, oldRunId } = input<{ newRunId: string; oldRunId: string }>(c, "param");
      const q = input<CompareQuery>(c, "query");
      const options: CompareRunsOptions = {
        aggregate: q.aggregate_function,
        metrics: q.metrics === undefined ? undefined : [q.metrics].flat(),
        maxDrop: q.max_drop,
        alpha: q.alpha,
        seed: q.seed,
        includeIds: q.include_ids === undefined ? undefined : q.include_ids === "true",
        idLimit: q.id_limit,
        continuousTest: q.continuous_test,
      };
      for (const k of Object.keys(options) as (keyof CompareRunsOptions)[]) {
        if (options[k] === undefined) delete options[k];
      }
      return sendJson(await c.var.store.compareRuns(newRunId, oldRunId, options));
    },
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/compare-groups",
      tags,
      summary: "Compare two groups of runs (each a filter) per metric with Welch's t-test (a read)",
      middleware: [d.json],
      request: { body: jsonBody(GroupsBody) },
      responses: {
        200: ok(z.record(z.string(), z.unknown()).openapi("CompareGroupsResult"), "The comparison"),
        ...errors(),
      },
    },
    async (c) => {
      const b = body<{ filterA: QueryInput; filterB: QueryInput; options: CompareGroupsOptions }>(c);
      return sendJson(await c.var.store.compareGroups(b.filterA, b.filterB, b.options));
    },
  );
}
