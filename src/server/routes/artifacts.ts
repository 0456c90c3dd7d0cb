import { z } from "@hono/zod-openapi";
import type { ArtifactDescriptor } from "../../core/types.js";
import { checkArtifactName } from "../../core/validate.js";
import { checkDeclaredLength, limitedStream } from "../body.js";
import type { App } from "../env.js";
import { addRoute, body, input, sendJson } from "../route.js";
import { errors, jsonBody, listOf, ok, RunAndNameParams, RunIdParam, strict } from "../schemas/common.js";
import { Artifact } from "../schemas/records.js";
import { streamResponse } from "../stream.js";
import type { RouteDeps } from "./deps.js";

const tags = ["artifacts"];

/** Response headers that carry an artifact's descriptor beside its bytes. */
export const ARTIFACT_HEADERS = {
  kind: "x-labbook-artifact-kind",
  digest: "x-labbook-digest",
  createdAt: "x-labbook-created-at",
} as const;

/** The headers of an artifact download: size, media type, digest (and as `Digest`/`ETag`), kind. */
export function artifactHeaders(a: ArtifactDescriptor): Record<string, string> {
  const [algo, hex] = a.digest.split(":");
  const headers: Record<string, string> = {
    "content-type": a.mediaType,
    "content-length": String(a.size),
    etag: JSON.stringify(a.digest),
    [ARTIFACT_HEADERS.kind]: a.kind,
    [ARTIFACT_HEADERS.digest]: a.digest,
    [ARTIFACT_HEADERS.createdAt]: a.createdAt,
    "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(a.name)}`,
  };
  if (algo === "sha256" && hex) headers.digest = `sha-256=${Buffer.from(hex, "hex").toString("base64")}`;
  return headers;
}

/** Artifacts: list, streamed upload (PUT) and streamed download with size, media type and digest. */
export function artifactRoutes(app: App, d: RouteDeps): void {
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs/{runId}/artifacts",
      tags,
      summary: "Descriptors of a run's artifacts, by name",
      request: { params: RunIdParam },
      responses: { 200: ok(listOf(Artifact), "Artifacts"), ...errors(404) },
    },
    async (c) =>
      sendJson({ data: await c.var.store.listArtifacts(input<{ runId: string }>(c, "param").runId) }),
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/runs/artifacts",
      tags,
      summary:
        "Descriptors of the artifacts of each of these runs that exists (a read: needs only a read key)",
      middleware: [d.json],
      request: { body: jsonBody(strict({ runIds: z.array(z.string()) }, "artifactsOfRuns")) },
      responses: { 200: ok(z.record(z.string(), z.array(Artifact)), "Artifacts by run id"), ...errors() },
    },
    async (c) => sendJson(await c.var.store.listArtifactsOfRuns(body<{ runIds: string[] }>(c).runIds)),
  );
  addRoute(
    app,
    {
      method: "put",
      path: "/api/v1/runs/{runId}/artifacts/{name}",
      tags,
      summary: "Upload an artifact (streamed; replaces one of the same name). Content-Type is its media type",
      request: {
        params: RunAndNameParams,
        headers: z.object({
          [ARTIFACT_HEADERS.kind]: z
            .string()
            .min(1)
            .optional()
            .openapi({ param: { name: ARTIFACT_HEADERS.kind, in: "header" }, description: "Default bytes" }),
        }),
        body: {
          required: true,
          content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
        },
      },
      responses: { 200: ok(Artifact, "Stored"), ...errors(404, 413) },
    },
    async (c) => {
      const p = input<{ runId: string; name: string }>(c, "param");
      checkArtifactName(p.name);
      const limit = d.opts.uploadLimitBytes;
      checkDeclaredLength(c.req.header("content-length"), limit, "artifact");
      const kind = c.req.header(ARTIFACT_HEADERS.kind) ?? "bytes";
      const mediaType = c.req.header("content-type") ?? "application/octet-stream";
      const source = limitedStream(c.req.raw.body, limit, "artifact");
      return sendJson(await c.var.store.putArtifact(p.runId, p.name, source, { kind, mediaType }));
    },
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/runs/{runId}/artifacts/{name}",
      tags,
      summary: "Download an artifact's bytes (streamed) with its size, media type and digest in headers",
      request: { params: RunAndNameParams },
      responses: {
        200: {
          description: "The bytes",
          headers: {
            [ARTIFACT_HEADERS.digest]: { schema: { type: "string" }, description: "sha256:<hex>" },
            [ARTIFACT_HEADERS.kind]: { schema: { type: "string" } },
            "content-length": { schema: { type: "integer" } },
          },
          content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
        },
        ...errors(404),
      },
    },
    async (c) => {
      const p = input<{ runId: string; name: string }>(c, "param");
      const { descriptor, stream } = await c.var.store.openArtifact(p.runId, p.name);
      return streamResponse(stream, artifactHeaders(descriptor), d.opts.log);
    },
  );
}
