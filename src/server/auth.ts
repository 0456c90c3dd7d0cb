import type { MiddlewareHandler } from "hono";
import { LabbookError } from "../core/errors.js";
import type { Store } from "../store/types.js";
import type { AppEnv, Role } from "./env.js";
import type { ResolvedOptions } from "./options.js";

const RANK: Record<Role, number> = { read: 0, write: 1, admin: 2 };

/** The role a request needs: reads need `read`, key management `admin`, other writes `write`. */
export function requiredRole(method: string, path: string): Role {
  if (path.startsWith("/api/v1/keys")) return "admin";
  if (method === "POST" && READ_POSTS.some((re) => re.test(path))) return "read";
  return method === "GET" || method === "HEAD" ? "read" : "write";
}

/** Queries sent as POST for their JSON options: they only read. */
const READ_POSTS = [
  /\/aggregate-scores$/,
  /^\/api\/v1\/aggregate-runs$/,
  /^\/api\/v1\/compare-groups$/,
  /^\/api\/v1\/runs\/statuses$/,
  /^\/api\/v1\/runs\/artifacts$/,
  /^\/api\/v1\/runs\/row-counts$/,
  /^\/api\/v1\/search\/runs$/,
  /^\/api\/v1\/runs\/[^/]+\/rows\/search$/,
];

/** What anyone may read without a key: the OpenAPI document (so that Swagger tools load it). */
export function isPublic(method: string, path: string): boolean {
  return (method === "GET" || method === "HEAD") && path === "/api/v1/openapi.json";
}

/** The key a request presents: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(authorization: string | undefined, apiKey: string | undefined): string | null {
  if (apiKey) return apiKey.trim();
  if (!authorization) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) {
    throw new LabbookError("UNAUTHENTICATED", "authorization: must be 'Bearer <API key>'", {
      field: "authorization",
    });
  }
  return m[1]!;
}

/**
 * Finds the caller's workspace and role from its API key and sets the workspace's store on
 * the request. Without a key, the server answers only while it runs open (loopback, no key
 * configured); a key of one workspace never reaches another's store.
 */
export function authenticate(root: Store, opts: ResolvedOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isPublic(c.req.method, c.req.path)) return next();
    const key = presentedKey(c.req.header("authorization"), c.req.header("x-api-key"));
    let workspace: string;
    let role: Role;
    if (key !== null) {
      const found = opts.keys ? await opts.keys.verify(key) : null;
      if (!found) throw new LabbookError("UNAUTHENTICATED", "API key: unknown or revoked");
      workspace = found.workspace;
      role = found.role;
    } else if (opts.allowOpen && !(opts.keys && (await opts.keys.hasActiveKeys()))) {
      workspace = root.workspace;
      role = "admin";
    } else {
      throw new LabbookError(
        "UNAUTHENTICATED",
        "API key: missing; send 'Authorization: Bearer <key>' (labbook keys create)",
      );
    }
    const needed = requiredRole(c.req.method, c.req.path);
    if (RANK[role] < RANK[needed]) {
      throw new LabbookError(
        "PERMISSION_DENIED",
        `API key: role ${role} cannot ${c.req.method} ${c.req.path}; it needs ${needed}`,
        { details: { role, required: needed } },
      );
    }
    c.set("workspace", workspace);
    c.set("role", role);
    c.set("store", opts.storeFor(workspace));
    await next();
  };
}
