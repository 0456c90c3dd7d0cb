import type { MiddlewareHandler } from "hono";
import { setBounded } from "../store/sql/shared/bounded-map.js";
import type { AppEnv } from "./env.js";
import { type Ctx, input } from "./route.js";

/** Longest query string remembered (longer ones are validated every time). */
const MAX_KEY = 4096;

/** The text after `?` of a request's URL (`""` when none). */
function rawQuery(c: Ctx): string {
  const url = c.req.url;
  const at = url.indexOf("?");
  return at < 0 ? "" : url.slice(at + 1);
}

/**
 * A GET route's handler that remembers the query parameters its schema accepted, by the
 * request's raw query string: a query string seen before skips parsing and validation (the
 * schema's answer depends on nothing else), so a dashboard asking the same search again and
 * again pays for it once. Only accepted queries are kept, so a rejected one is rejected by the
 * schema, with its error, every time; the store is asked on every request (no answer is kept).
 * `before` goes in the route's `middleware` (it runs after auth and before the schema),
 * `handler` is the route's handler.
 *
 * @example
 * const q = cachedQuery<{ filter?: string }>((c, query) => searchAndSend(c, query));
 * addRoute(app, { ...config, middleware: [q.before] }, q.handler);
 */
export function cachedQuery<T extends object>(
  handle: (c: Ctx, query: T) => Promise<Response>,
  max = 256,
): { before: MiddlewareHandler<AppEnv>; handler: (c: Ctx) => Promise<Response> } {
  const accepted = new Map<string, Readonly<T>>();
  return {
    before: async (c, next) => {
      const hit = accepted.get(rawQuery(c));
      if (hit !== undefined) return handle(c, hit);
      await next();
    },
    handler: (c) => {
      const query = Object.freeze({ ...input<T>(c, "query") });
      const key = rawQuery(c);
      if (key.length <= MAX_KEY) setBounded(accepted, key, query, max);
      return handle(c, query);
    },
  };
}
