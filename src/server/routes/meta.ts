import { z } from "@hono/zod-openapi";
import type { App } from "../env.js";
import { addRoute, sendJson } from "../route.js";
import { errors, ok } from "../schemas/common.js";
import type { RouteDeps } from "./deps.js";

/** The OpenAPI document's header. */
export const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: {
    title: "labbook",
    version: "1",
    description:
      "The results store for experiments over HTTP. Values are tagged JSON: numbers JSON cannot spell " +
      'are {"$float": "NaN"}. Every call but /healthz and this document needs an API key (Authorization: Bearer <key>). ' +
      'Errors are {"error": {"code", "message", "details"?}}.',
  },
  security: [{ apiKey: [] }],
};

/** `GET /healthz` (no key), `GET /api/v1/session` and the OpenAPI document itself (no key). */
export function metaRoutes(app: App, d: RouteDeps): void {
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/session",
      tags: ["meta"],
      summary: "The caller's workspace and role, and this server's limits",
      responses: {
        200: ok(
          z.object({
            workspace: z.string(),
            role: z.enum(["read", "write", "admin"]),
            limits: z.object({
              maxPageSize: z.number().int(),
              jsonLimitBytes: z.number().int(),
              uploadLimitBytes: z.number().int(),
            }),
            heartbeatTimeoutMs: z.number().int().openapi({
              description:
                "A running run or execution whose last heartbeat (POST /api/v1/heartbeat) is older than this reads crashed",
            }),
          }),
          "The session",
        ),
        ...errors(),
      },
    },
    async (c) => {
      const { maxPageSize, jsonLimitBytes, uploadLimitBytes } = d.opts;
      return sendJson({
        workspace: c.var.workspace,
        role: c.var.role,
        limits: { maxPageSize, jsonLimitBytes, uploadLimitBytes },
        heartbeatTimeoutMs: c.var.store.heartbeatTimeoutMs,
      });
    },
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/healthz",
      tags: ["meta"],
      summary: "Liveness; needs no key",
      security: [],
      responses: { 200: ok(z.object({ status: z.literal("ok") }), "Alive") },
    },
    async () => sendJson({ status: "ok" }),
  );
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/openapi.json",
      tags: ["meta"],
      summary: "This document (OpenAPI 3.1); needs no key",
      security: [],
      responses: { 200: ok(z.record(z.string(), z.unknown()), "The OpenAPI document"), ...errors() },
    },
    async () => Response.json(openApiDocument(app)),
  );
}

/** The OpenAPI 3.1 document of every route of `app`, from the schemas that validate them. */
export function openApiDocument(app: App): Record<string, unknown> {
  const hit = DOCS.get(app);
  if (hit) return hit;
  if (!app.openAPIRegistry.definitions.some((d) => d.type === "component" && d.name === "apiKey")) {
    app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
      type: "http",
      scheme: "bearer",
      description: "A labbook API key (labbook keys create)",
    });
  }
  const doc = app.getOpenAPI31Document(OPENAPI_INFO) as unknown as Record<string, unknown>;
  DOCS.set(app, doc);
  return doc;
}

const DOCS = new WeakMap<App, Record<string, unknown>>();
