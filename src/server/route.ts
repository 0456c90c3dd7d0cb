import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { LabbookError } from "../core/errors.js";
import type { App, AppEnv } from "./env.js";
import { taggedStringify } from "./tagged-stringify.js";

/** A request's context inside a route handler. */
export type Ctx = Context<AppEnv>;

/**
 * Registers a route: its schemas validate the request and describe it in the OpenAPI
 * document, and `handler` answers it (with {@link sendJson} or a streamed `Response`). A query
 * parameter the route's schema does not name is refused (`INVALID_ARGUMENT`), never ignored.
 */
export function addRoute(app: App, config: RouteConfig, handler: (c: Ctx) => Promise<Response>): void {
  const own = config.middleware === undefined ? [] : [config.middleware].flat();
  const middleware = [onlyKnownQuery(config), ...own] as MiddlewareHandler[];
  app.openapi(createRoute({ ...config, middleware: middleware as never }), handler as never);
}

/** The names of the query parameters a route's schema takes. */
export function queryNames(config: RouteConfig): string[] {
  const query = config.request?.query as { shape?: Record<string, unknown> } | undefined;
  return Object.keys(query?.shape ?? {});
}

/** Refuses a request carrying a query parameter that the route does not take. */
function onlyKnownQuery(config: RouteConfig): MiddlewareHandler {
  const known = new Set(queryNames(config));
  const takes = known.size === 0 ? "no query parameters" : `only ${[...known].join(", ")}`;
  return async (c, next) => {
    const url = c.req.url;
    if (url.includes("?")) {
      for (const name of new URL(url).searchParams.keys()) {
        if (!known.has(name)) {
          throw new LabbookError(
            "INVALID_ARGUMENT",
            `query parameter ${JSON.stringify(name)}: ${config.method.toUpperCase()} ${config.path} takes ${takes}`,
            { field: name, details: { parameter: name, accepted: [...known] } },
          );
        }
      }
    }
    await next();
  };
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
