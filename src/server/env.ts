import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Store } from "../store/types.js";

/** What a key may do: `read` (GET), `write` (also create, log, delete), `admin` (also manage keys). */
export type Role = "read" | "write" | "admin";
export const ROLES: readonly Role[] = ["read", "write", "admin"];

/** Per-request values set by the auth middleware. */
export interface AppEnv {
  Variables: {
    /** The store of the caller's workspace. */
    store: Store;
    workspace: string;
    role: Role;
    /** The JSON request body as sent (tagged JSON decoded), after its schema accepted it. */
    body: unknown;
    /** True once the JSON body was read (by the prefetch or the route). */
    bodyRead: boolean;
  };
}

export type App = OpenAPIHono<AppEnv>;
