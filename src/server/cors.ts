import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { invalid } from "../core/errors.js";
import type { AppEnv } from "./env.js";

const ORIGIN = /^https?:\/\/[^/\s?#]+$/;

/**
 * Checks the CORS origins of a server: each `*` or a scheme and host (and port), without path.
 *
 * @example
 * checkCorsOrigins(["https://app.example.com", "http://localhost:5173"]);
 */
export function checkCorsOrigins(origins: readonly string[] | undefined, field = "corsOrigins"): string[] {
  if (origins === undefined) return [];
  if (!Array.isArray(origins)) throw invalid(field, "must be a list of origins", origins);
  for (const o of origins) {
    if (typeof o !== "string" || (o !== "*" && !ORIGIN.test(o))) {
      throw invalid(
        field,
        "expected an origin such as https://app.example.com (scheme and host, no path) or *",
        o,
      );
    }
  }
  return [...origins];
}

/**
 * The CORS middleware of the configured origins: preflights (`OPTIONS` with an `Origin`) are
 * answered before any key is asked for, and responses to those origins carry
 * `Access-Control-Allow-Origin`; labbook's request and response headers are allowed through.
 */
export function corsFor(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  return cors({
    origin: origins.includes("*") ? "*" : [...origins],
    allowMethods: ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE"],
    allowHeaders: ["Authorization", "X-API-Key", "Content-Type", "X-Labbook-Artifact-Kind"],
    exposeHeaders: ["Content-Length", "X-Labbook-Digest", "X-Labbook-Created-At", "Digest"],
    maxAge: 600,
  }) as MiddlewareHandler<AppEnv>;
}
