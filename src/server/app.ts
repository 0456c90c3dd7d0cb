import { OpenAPIHono } from "@hono/zod-openapi";
import { LabbookError } from "../core/errors.js";
import { SqlStore } from "../store/sql/sql-store.js";
import type { Store } from "../store/types.js";
import { authenticate } from "./auth.js";
import { prefetchJsonBody, readJsonBody } from "./body.js";
import { checkCorsOrigins, corsFor } from "./cors.js";
import type { App, AppEnv } from "./env.js";
import { errorResponse, fromZodError, toSafeError } from "./errors.js";
import { SqlApiKeys } from "./keys/sql-api-keys.js";
import { concurrencyLimit } from "./limiter.js";
import { DEFAULT_LIMITS, type ResolvedOptions, type ServerOptions } from "./options.js";
import { artifactRoutes } from "./routes/artifacts.js";
import { compareRoutes } from "./routes/compare.js";
import type { RouteDeps } from "./routes/deps.js";
import { executionRoutes } from "./routes/executions.js";
import { experimentRoutes } from "./routes/experiments.js";
import { keyRoutes } from "./routes/keys.js";
import { metaRoutes } from "./routes/meta.js";
import { rowRoutes } from "./routes/rows.js";
import { runValueRoutes } from "./routes/run-values.js";
import { runRoutes } from "./routes/runs.js";
import { runsCsvRoutes } from "./routes/runs-csv.js";
import { savedObjectRoutes } from "./routes/saved-objects.js";
import { scoreRoutes } from "./routes/scores.js";
import { searchRoutes } from "./routes/search.js";
import { isUpload, requestTimeout } from "./timeout.js";
import { findWebRoot, webPage } from "./web-page.js";

/** The store of each workspace: `withWorkspace` views of a SQL store, cached. */
function workspaceStores(store: Store): (workspace: string) => Store {
  const views = new Map<string, Store>([[store.workspace, store]]);
  return (workspace) => {
    const hit = views.get(workspace);
    if (hit) return hit;
    if (!(store instanceof SqlStore)) {
      throw new LabbookError(
        "FAILED_PRECONDITION",
        `this server's store serves only workspace ${store.workspace}; pass storeFor to serve ${workspace}`,
      );
    }
    const view = store.withWorkspace(workspace);
    views.set(workspace, view);
    return view;
  };
}

/** Every option with its default. */
export function resolveOptions(store: Store, options: ServerOptions): ResolvedOptions {
  return {
    keys:
      options.keys !== undefined
        ? options.keys
        : store instanceof SqlStore
          ? new SqlApiKeys(store.ctx)
          : null,
    allowOpen: options.allowOpen ?? false,
    storeFor: options.storeFor ?? workspaceStores(store),
    jsonLimitBytes: options.jsonLimitBytes ?? DEFAULT_LIMITS.jsonLimitBytes,
    uploadLimitBytes: options.uploadLimitBytes ?? DEFAULT_LIMITS.uploadLimitBytes,
    maxPageSize: options.maxPageSize ?? DEFAULT_LIMITS.maxPageSize,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_LIMITS.requestTimeoutMs,
    maxConcurrent: options.maxConcurrent ?? DEFAULT_LIMITS.maxConcurrent,
    log: options.log ?? ((e) => console.error("labbook server:", e)),
    corsOrigins: checkCorsOrigins(options.corsOrigins),
    webRoot: options.webRoot === false ? null : (options.webRoot ?? findWebRoot()),
  };
}

/**
 * The HTTP API over a store, as a Hono app (`app.fetch` is a standard fetch handler). It
 * keeps no state of its own beyond the store: any number of servers over one store answer
 * the same. Every route is in the OpenAPI 3.1 document at `/api/v1/openapi.json`.
 *
 * @example
 * const { app } = createServer(await openStore("./labbook"), { allowOpen: true });
 * const res = await app.request("/api/v1/runs");
 */
export function createServer(
  store: Store,
  options: ServerOptions = {},
): { app: App; options: ResolvedOptions } {
  const opts = resolveOptions(store, options);
  const app: App = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success)
        throw fromZodError(result.error, result.target === "json" ? "body" : result.target);
    },
  });
  app.onError((e) => errorResponse(toSafeError(e, opts.log)));
  app.notFound((c) =>
    errorResponse(new LabbookError("NOT_FOUND", `no route ${c.req.method} ${c.req.path}`, { field: "path" })),
  );
  if (opts.corsOrigins.length > 0) app.use("*", corsFor(opts.corsOrigins));
  app.use("/api/v1/*", authenticate(store, opts));
  app.use("/api/v1/*", requestTimeout(opts.requestTimeoutMs, isUpload));
  app.use("/api/v1/*", prefetchJsonBody(opts.jsonLimitBytes, isUpload));
  app.use("/api/v1/*", concurrencyLimit(opts.maxConcurrent, opts.requestTimeoutMs, isUpload));
  const deps: RouteDeps = { opts, json: readJsonBody(opts.jsonLimitBytes) };
  metaRoutes(app, deps);
  experimentRoutes(app, deps);
  runRoutes(app, deps);
  runValueRoutes(app, deps);
  searchRoutes(app, deps);
  runsCsvRoutes(app, deps);
  rowRoutes(app, deps);
  artifactRoutes(app, deps);
  scoreRoutes(app, deps);
  executionRoutes(app, deps);
  savedObjectRoutes(app, deps);
  compareRoutes(app, deps);
  keyRoutes(app, deps);
  if (opts.webRoot !== null) app.use("*", webPage(opts.webRoot));
  return { app, options: opts };
}
