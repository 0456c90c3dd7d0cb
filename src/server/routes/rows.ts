import { z } from "@hono/zod-openapi";
import { checkDeclaredLength, limitedStream } from "../body.js";
import type { App } from "../env.js";
import { addRoute, input, sendJson } from "../route.js";
import { errors, ok, RunIdParam } from "../schemas/common.js";
import { mapAsync, streamResponse, utf8Chunks } from "../stream.js";
import { taggedStringify } from "../tagged-stringify.js";
import type { RouteDeps } from "./deps.js";

const tags = ["rows"];
const NDJSON = "application/x-ndjson; charset=utf-8";

/** Rows: the whole run streamed as JSONL, and row scores JSONL download and import (pages: routes/search.ts). */
export function rowRoutes(app: App, d: RouteDeps): void {
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs/{runId}/rows.jsonl",
      tags,
      summary: "Every row of a run, streamed as JSONL (one tagged-JSON Row a line)",
      request: { params: RunIdParam },
      responses: {
        200: { description: "JSONL rows", content: { "application/x-ndjson": { schema: z.string() } } },
        ...errors(404),
      },
    },
    async (c) => {
      const { runId } = input<{ runId: string }>(c, "param");
      await c.var.store.getRun(runId);
      const lines = mapAsync(c.var.store.iterateRowRecords(runId), (r) => `${taggedStringify(r)}\n`);
      return streamResponse(lines, { "content-type": NDJSON }, d.opts.log);
    },
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs/{runId}/row-scores.jsonl",
      tags,
      summary: "A run's row scores as JSONL, in the NVIDIA evaluator's row shape",
      request: { params: RunIdParam },
      responses: {
        200: { description: "JSONL row scores", content: { "application/x-ndjson": { schema: z.string() } } },
        ...errors(404),
      },
    },
    async (c) => {
      const { runId } = input<{ runId: string }>(c, "param");
      return streamResponse(c.var.store.rowScores(runId), { "content-type": NDJSON }, d.opts.log);
    },
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/runs/{runId}/row-scores.jsonl",
      tags,
      summary: "Import JSONL row scores into a running run, all or nothing (a bad line names its number)",
      request: {
        params: RunIdParam,
        body: {
          required: true,
          content: { "application/x-ndjson": { schema: z.string().openapi({ format: "binary" }) } },
        },
      },
      responses: { 200: ok(z.object({ rows: z.number().int() }), "Rows imported"), ...errors(404, 409, 413) },
    },
    async (c) => {
      const { runId } = input<{ runId: string }>(c, "param");
      const limit = d.opts.uploadLimitBytes;
      checkDeclaredLength(c.req.header("content-length"), limit, "row scores");
      const text = utf8Chunks(limitedStream(c.req.raw.body, limit, "row scores"), "row scores");
      return sendJson(await c.var.store.importRowScores(runId, text));
    },
  );
}
