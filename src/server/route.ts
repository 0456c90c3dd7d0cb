import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "./env.js";
import { taggedStringify } from "./tagged-stringify.js";

/** A request's context inside a route handler. */
export type Ctx = Context<AppEnv>;

/**
 * Registers a route: its schemas validate the request and describe it in the OpenAPI
 * document, and `handler` answers it (with {@link sendJson} or a streamed `Response`).
 */
export function addRoute(app: App, config: RouteConfig, handler: (c: Ctx) => Promise<Response>): void {
  app.openapi(createRoute(config), handler as never);
}

/** The validated path, query or header values of a request. */
export function input<T>(c: Ctx, target: "param" | "query" | "header"): T {
  return (c.req.valid as (t: string) => unknown)(target) as T;
}

/** The JSON body as sent, tagged JSON decoded (after the route's schema accepted it). */
export function body<T>(c: Ctx): T {
  return c.get("body") as T;
}

/** A JSON response in tagged JSON (NaN and infinities as `{"$float": ...}`). */
export function sendJson(value: unknown, status = 200): Response {
  return new Response(taggedStringify(value), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/** A 204 response. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}
