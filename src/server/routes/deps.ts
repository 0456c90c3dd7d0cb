import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.js";
import type { ResolvedOptions } from "../options.js";

/** What route modules share: options and the JSON body reader. */
export interface RouteDeps {
  opts: ResolvedOptions;
  /** Reads and checks a JSON body (limit, UTF-8, syntax) before the route's schema. */
  json: MiddlewareHandler<AppEnv>;
}
