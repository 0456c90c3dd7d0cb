import { z } from "@hono/zod-openapi";
import type { CreateExperimentInput } from "../../core/types.js";
import type { MetricDefinitionInput } from "../../scores/definitions.js";
import type { App } from "../env.js";
import { addRoute, body, input, sendJson } from "../route.js";
import { errors, jsonBody, listOf, ok } from "../schemas/common.js";
import {
  CreateExperiment,
  MetricDefinitionInput as DefInput,
  Experiment,
  ExperimentSummary,
  MetricDefinition,
} from "../schemas/records.js";
import type { RouteDeps } from "./deps.js";

const NameParam = z.object({ name: z.string().openapi({ param: { name: "name", in: "path" } }) });
const ExperimentParam = z.object({
  experiment: z
    .string()
    .openapi({ param: { name: "experiment", in: "path" }, description: "`name` or `name:version`" }),
});
const tags = ["experiments"];

/** Experiments: create (or ensure), list, get, versions; metric definitions. */
export function experimentRoutes(app: App, d: RouteDeps): void {
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/experiments",
      tags,
      summary: "Every experiment of the workspace, by name then SemVer",
      responses: { 200: ok(listOf(Experiment), "Experiments"), ...errors() },
    },
    async (c) => sendJson({ data: await c.var.store.listExperiments() }),
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/experiment-summaries",
      tags,
      summary: "Every experiment with its runs counted by status and its last activity",
      responses: { 200: ok(listOf(ExperimentSummary), "Experiments with run counts"), ...errors() },
    },
    async (c) => sendJson({ data: await c.var.store.summarizeExperiments() }),
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/experiments",
      tags,
      summary: "Create an experiment (or, with if_exists=return, return the existing one)",
      middleware: [d.json],
      request: {
        query: z.object({
          if_exists: z
            .enum(["error", "return"])
            .default("error")
            .openapi({ param: { name: "if_exists", in: "query" } }),
        }),
        body: jsonBody(CreateExperiment),
      },
      responses: { 201: ok(Experiment, "Created"), 200: ok(Experiment, "Existing"), ...errors(409) },
    },
    async (c) => {
      const { if_exists } = input<{ if_exists: "error" | "return" }>(c, "query");
      const b = body<CreateExperimentInput>(c);
      if (if_exists === "return") return sendJson(await c.var.store.ensureExperiment(b));
      return sendJson(await c.var.store.createExperiment(b), 201);
    },
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/experiments/{name}",
      tags,
      summary: "One experiment: the latest SemVer version, or ?version=",
      request: {
        params: NameParam,
        query: z.object({
          version: z
            .string()
            .optional()
            .openapi({ param: { name: "version", in: "query" } }),
        }),
      },
      responses: { 200: ok(Experiment, "The experiment"), ...errors(404) },
    },
    async (c) => {
      const { name } = input<{ name: string }>(c, "param");
      const { version } = input<{ version?: string }>(c, "query");
      return sendJson(await c.var.store.getExperiment(name, version));
    },
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/experiments/{name}/versions",
      tags,
      summary: "The versions of an experiment, in SemVer order (empty when the name is unknown)",
      request: { params: NameParam },
      responses: { 200: ok(listOf(z.string()), "Versions"), ...errors() },
    },
    async (c) => sendJson({ data: await c.var.store.listVersions(input<{ name: string }>(c, "param").name) }),
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/experiments/{experiment}/metric-definitions",
      tags,
      summary: "Metric definitions of an experiment version",
      request: { params: ExperimentParam },
      responses: { 200: ok(listOf(MetricDefinition), "Definitions"), ...errors(404) },
    },
    async (c) => {
      const { experiment } = input<{ experiment: string }>(c, "param");
      return sendJson({ data: await c.var.store.getMetricDefinitions(experiment) });
    },
  );
  addRoute(
    app,
    {
      method: "put",
      path: "/api/v1/experiments/{experiment}/metric-definitions",
      tags,
      summary: "Create or replace the definition of a metric",
      middleware: [d.json],
      request: { params: ExperimentParam, body: jsonBody(DefInput) },
      responses: { 200: ok(MetricDefinition, "The stored definition"), ...errors(404) },
    },
    async (c) => {
      const { experiment } = input<{ experiment: string }>(c, "param");
      return sendJson(await c.var.store.defineMetric(experiment, body<MetricDefinitionInput>(c)));
    },
  );
}
