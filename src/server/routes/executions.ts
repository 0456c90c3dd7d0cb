import { z } from "@hono/zod-openapi";
import type {
  CreateExecutionInput,
  ExecutionManifest,
  ExecutionStatus,
  ImportExecutionInput,
} from "../../store/execution-methods.js";
import type { App } from "../env.js";
import { addRoute, body, noContent, sendJson } from "../route.js";
import { errors, jsonBody, listOf, NoContent, ok, strict } from "../schemas/common.js";
import { streamResponse } from "../stream.js";
import type { RouteDeps } from "./deps.js";
import { Name, p, q, RefQuery, ref } from "./execution-params.js";

const tags = ["executions"];
const Status = z.enum(["running", "finished", "interrupted", "crashed"]);
const Manifest = z.record(z.string(), z.unknown()).openapi("ExecutionManifest");
const Execution = z
  .object({
    experimentId: z.string(),
    experimentName: z.string(),
    experimentVersion: z.string(),
    executionId: z.string(),
    uid: z.string(),
    status: Status,
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    manifest: Manifest.nullable(),
  })
  .openapi("Execution");
const ExecId = z
  .string()
  .openapi({ param: { name: "executionId", in: "path" }, description: "An id or `latest`" });

/** Versions, executions, their objects.jsonl record, tags maps and run statuses (saved objects: saved-objects.ts). */
export function executionRoutes(app: App, d: RouteDeps): void {
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/experiments/{name}/latest-version",
      tags: ["experiments"],
      summary: "The highest SemVer version of an experiment",
      request: { params: z.object({ name: Name }) },
      responses: { 200: ok(z.object({ version: z.string() }), "The version"), ...errors(404) },
    },
    async (c) => sendJson({ version: await c.var.store.latestVersion(p<{ name: string }>(c).name) }),
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/executions",
      tags,
      summary: "Start an execution of an existing experiment version",
      middleware: [d.json],
      request: {
        body: jsonBody(
          strict({ experiment: z.string(), startedAt: z.number().optional() }, "createExecution").openapi(
            "CreateExecution",
          ),
        ),
      },
      responses: { 201: ok(Execution, "The execution"), ...errors(404) },
    },
    async (c) => sendJson(await c.var.store.createExecution(body<CreateExecutionInput>(c)), 201),
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/executions/import",
      tags,
      summary: "Copy an execution record as it is (a merge)",
      middleware: [d.json],
      request: {
        body: jsonBody(
          strict(
            {
              experiment: z.string(),
              executionId: z.string(),
              uid: z.string(),
              status: Status,
              startedAt: z.number(),
              finishedAt: z.number().nullable(),
              manifest: Manifest.nullable(),
            },
            "importExecution",
          ).openapi("ImportExecution"),
        ),
      },
      responses: { 201: ok(Execution, "The execution"), ...errors(404, 409) },
    },
    async (c) => sendJson(await c.var.store.importExecution(body<ImportExecutionInput>(c)), 201),
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/experiments/{name}/executions",
      tags,
      summary: "Executions of an experiment, newest first",
      request: { params: z.object({ name: Name }) },
      responses: { 200: ok(listOf(Execution), "Executions"), ...errors() },
    },
    async (c) => sendJson({ data: await c.var.store.listExecutions(p<{ name: string }>(c).name) }),
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/experiments/{name}/executions/{executionId}",
      tags,
      summary: "One execution (`latest` for the latest)",
      request: { params: z.object({ name: Name, executionId: ExecId }) },
      responses: { 200: ok(Execution, "The execution"), ...errors(404) },
    },
    async (c) => {
      const { name, executionId } = p<{ name: string; executionId: string }>(c);
      return sendJson(await c.var.store.getExecution(name, ref(executionId)));
    },
  );
  addRoute(
    app,
    {
      method: "patch",
      path: "/api/v1/experiments/{name}/executions/{executionId}",
      tags,
      summary: "Set an execution's status, end time and manifest",
      middleware: [d.json],
      request: {
        params: z.object({ name: Name, executionId: ExecId }),
        body: jsonBody(
          strict(
            {
              status: Status.optional(),
              finishedAt: z.number().nullable().optional(),
              manifest: Manifest.nullable().optional(),
            },
            "updateExecution",
          ),
        ),
      },
      responses: { 200: ok(Execution, "The execution"), ...errors(404) },
    },
    async (c) => {
      const { name, executionId } = p<{ name: string; executionId: string }>(c);
      const patch = body<{
        status?: ExecutionStatus;
        finishedAt?: number | null;
        manifest?: ExecutionManifest | null;
      }>(c);
      return sendJson(await c.var.store.updateExecution(name, executionId, patch));
    },
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/experiments/{name}/executions/{executionId}/objects",
      tags,
      summary: "Append lines (one JSON object each) to an execution's objects.jsonl record",
      middleware: [d.json],
      request: {
        params: z.object({ name: Name, executionId: ExecId }),
        body: jsonBody(strict({ lines: z.array(z.string()) }, "appendExecutionObjects")),
      },
      responses: { 204: NoContent, ...errors(404) },
    },
    async (c) => {
      const { name, executionId } = p<{ name: string; executionId: string }>(c);
      await c.var.store.appendExecutionObjects(name, executionId, body<{ lines: string[] }>(c).lines);
      return noContent();
    },
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/experiments/{name}/executions/{executionId}/objects.jsonl",
      tags,
      summary: "An execution's objects.jsonl lines, streamed (`latest` for the latest execution)",
      request: { params: z.object({ name: Name, executionId: ExecId }) },
      responses: {
        200: { description: "JSONL", content: { "application/x-ndjson": { schema: z.string() } } },
        ...errors(404),
      },
    },
    async (c) => {
      const { name, executionId } = p<{ name: string; executionId: string }>(c);
      const lines = c.var.store.executionObjects(name, ref(executionId));
      return streamResponse(lines, { "content-type": "application/x-ndjson; charset=utf-8" }, d.opts.log);
    },
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/experiments/{name}/tags-map",
      tags,
      summary: "Run id -> tags of the runs of an execution (?execution_id=, else the latest)",
      request: { params: z.object({ name: Name }), query: RefQuery },
      responses: {
        200: ok(z.record(z.string(), z.record(z.string(), z.string())), "Tags by run"),
        ...errors(404),
      },
    },
    async (c) => sendJson(await c.var.store.tagsMap(p<{ name: string }>(c).name, ref(q(c)))),
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/runs/statuses",
      tags: ["runs"],
      summary: "The status of each of these runs that exists (a read: needs only a read key)",
      middleware: [d.json],
      request: { body: jsonBody(strict({ runIds: z.array(z.string()) }, "runStatuses")) },
      responses: { 200: ok(z.record(z.string(), z.string()), "Status by run id"), ...errors() },
    },
    async (c) => sendJson(await c.var.store.runStatuses(body<{ runIds: string[] }>(c).runIds)),
  );
}
