import { z } from "@hono/zod-openapi";
import type {
  AggregateFunction,
  AggregateRunsOptions,
  AggregateScoresOptions,
  CompositeDefinitionInput,
} from "../../scores/types.js";
import type { App } from "../env.js";
import { addRoute, body, input, sendJson } from "../route.js";
import { errors, jsonBody, listOf, ok, RunIdParam, strict } from "../schemas/common.js";
import { QueryFilter } from "../schemas/query.js";
import type { RouteDeps } from "./deps.js";

const ExperimentParam = z.object({
  experiment: z
    .string()
    .openapi({ param: { name: "experiment", in: "path" }, description: "`name` or `name:version`" }),
});
const Composite = z
  .object({ experimentId: z.string(), name: z.string(), expression: z.string() })
  .openapi("Composite");
const CompositeInput = strict({ name: z.string(), expression: z.string() }, "defineComposite").openapi(
  "CompositeInput",
);
const StringOrList = z.union([z.string(), z.array(z.string())]);

const AggregateScoresBody = strict(
  {
    scores: z.array(z.string()).optional(),
    percentiles: z.array(z.number()).optional(),
    bins: z.number().int().optional(),
    filter: QueryFilter.optional(),
    groupBy: StringOrList.optional(),
    fields: z.array(z.string()).optional(),
    byDatapoint: z.boolean().optional(),
    compat: z.literal("nemo").optional(),
  },
  "aggregateScores",
).openapi("AggregateScoresOptions");
const CompatQuery = z.object({
  compat: z
    .literal("nemo")
    .optional()
    .openapi({ description: "`nemo`: the NVIDIA evaluator's figures and field names" }),
});
const AggregateRunsBody = strict(
  {
    experiment: z.string().optional(),
    filter: QueryFilter.optional(),
    metrics: z.array(z.string()),
    groupBy: StringOrList.optional(),
    percentiles: z.array(z.number()).optional(),
    bins: z.number().int().optional(),
    fields: z.array(z.string()).optional(),
  },
  "aggregateRuns",
).openapi("AggregateRunsOptions");
const Result = (name: string, description: string) =>
  z.record(z.string(), z.unknown()).openapi(name, { description });

/** Composite metrics, aggregates of row scores and of runs, and run results. */
export function scoreRoutes(app: App, d: RouteDeps): void {
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/experiments/{experiment}/composites",
      tags: ["experiments"],
      summary: "Composite metrics of an experiment version",
      request: { params: ExperimentParam },
      responses: { 200: ok(listOf(Composite), "Composites"), ...errors(404) },
    },
    async (c) => {
      const { experiment } = input<{ experiment: string }>(c, "param");
      return sendJson({ data: await c.var.store.getCompositeDefinitions(experiment) });
    },
  );
  addRoute(
    app,
    {
      method: "put",
      path: "/api/v1/experiments/{experiment}/composites",
      tags: ["experiments"],
      summary: "Create or replace a composite metric (an expression over scores.* and metrics.*)",
      middleware: [d.json],
      request: { params: ExperimentParam, body: jsonBody(CompositeInput) },
      responses: { 200: ok(Composite, "Stored"), ...errors(404) },
    },
    async (c) => {
      const { experiment } = input<{ experiment: string }>(c, "param");
      return sendJson(await c.var.store.defineComposite(experiment, body<CompositeDefinitionInput>(c)));
    },
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/runs/{runId}/aggregate-scores",
      tags: ["aggregates"],
      summary: "Figures of a run's row scores (a read: needs only a read key)",
      description: "`?compat=nemo` (or `compat` in the body) answers in the NVIDIA evaluator's shape.",
      middleware: [d.json],
      request: { params: RunIdParam, query: CompatQuery, body: jsonBody(AggregateScoresBody) },
      responses: { 200: ok(Result("AggregateScoresResult", "Per score figures"), "Figures"), ...errors(404) },
    },
    async (c) => {
      const { runId } = input<{ runId: string }>(c, "param");
      const { compat } = input<{ compat?: "nemo" }>(c, "query");
      const options = body<AggregateScoresOptions>(c);
      return sendJson(await c.var.store.aggregateScores(runId, compat ? { ...options, compat } : options));
    },
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs/{runId}/aggregate-scores",
      tags: ["aggregates"],
      summary:
        "Figures of every row score of a run, default options (`?compat=nemo`: the NVIDIA evaluator's shape)",
      request: { params: RunIdParam, query: CompatQuery },
      responses: { 200: ok(Result("AggregateScoresResult", "Per score figures"), "Figures"), ...errors(404) },
    },
    async (c) => {
      const { runId } = input<{ runId: string }>(c, "param");
      const { compat } = input<{ compat?: "nemo" }>(c, "query");
      return sendJson(await c.var.store.aggregateScores(runId, compat ? { compat } : {}));
    },
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/aggregate-runs",
      tags: ["aggregates"],
      summary: "Figures of run metrics over runs, grouped by run fields (a read: needs only a read key)",
      middleware: [d.json],
      request: { body: jsonBody(AggregateRunsBody) },
      responses: { 200: ok(Result("AggregateRunsResult", "Groups with figures"), "Figures"), ...errors() },
    },
    async (c) => sendJson(await c.var.store.aggregateRuns(body<AggregateRunsOptions>(c))),
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs/{runId}/result",
      tags: ["aggregates"],
      summary:
        "A run's result: pass/fail per datapoint, metric aggregates and composites (HoneyHive's shape)",
      request: {
        params: RunIdParam,
        query: z.object({
          aggregate_function: z
            .enum(["average", "sum", "min", "max", "median"])
            .optional()
            .openapi({ param: { name: "aggregate_function", in: "query" } }),
          page: z.coerce
            .number()
            .int()
            .min(1)
            .optional()
            .openapi({ param: { name: "page", in: "query" } }),
          page_size: z.coerce
            .number()
            .int()
            .min(1)
            .max(Math.min(1000, d.opts.maxPageSize))
            .optional()
            .openapi({ param: { name: "page_size", in: "query" } }),
          datapoints: z
            .enum(["all", "passed", "failed"])
            .optional()
            .openapi({ param: { name: "datapoints", in: "query" } }),
        }),
      },
      responses: { 200: ok(Result("RunResult", "The run's result"), "Result"), ...errors(404) },
    },
    async (c) => {
      const { runId } = input<{ runId: string }>(c, "param");
      const q = input<{
        aggregate_function?: AggregateFunction;
        page?: number;
        page_size?: number;
        datapoints?: "all" | "passed" | "failed";
      }>(c, "query");
      return sendJson(
        await c.var.store.runResult(runId, {
          aggregate: q.aggregate_function,
          page: q.page,
          pageSize: q.page_size,
          datapoints: q.datapoints,
        }),
      );
    },
  );
}
