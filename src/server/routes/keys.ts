import { z } from "@hono/zod-openapi";
import { LabbookError } from "../../core/errors.js";
import type { App, Role } from "../env.js";
import type { ApiKeyStore } from "../keys/types.js";
import { addRoute, body, input, sendJson } from "../route.js";
import { errors, jsonBody, listOf, ok, strict } from "../schemas/common.js";
import type { RouteDeps } from "./deps.js";

const tags = ["keys"];
const KeyInfo = z
  .object({
    id: z.string(),
    workspace: z.string(),
    role: z.enum(["read", "write", "admin"]),
    name: z.string().nullable(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");

function keyStore(d: RouteDeps): ApiKeyStore {
  if (!d.opts.keys) {
    throw new LabbookError(
      "FAILED_PRECONDITION",
      "this server keeps no API keys (its store has no key table)",
    );
  }
  return d.opts.keys;
}

/** API keys of the caller's workspace (admin keys only). */
export function keyRoutes(app: App, d: RouteDeps): void {
  addRoute(
    app,
    {
      method: "get",
      path: "/api/v1/keys",
      tags,
      summary: "The API keys of the caller's workspace (never the keys themselves)",
      responses: { 200: ok(listOf(KeyInfo), "Keys"), ...errors() },
    },
    async (c) => sendJson({ data: await keyStore(d).list(c.var.workspace) }),
  );
  addRoute(
    app,
    {
      method: "post",
      path: "/api/v1/keys",
      tags,
      summary: "Create an API key of the caller's workspace; the key is shown once",
      middleware: [d.json],
      request: {
        body: jsonBody(
          strict(
            {
              role: z.enum(["read", "write", "admin"]),
              name: z.string().optional(),
              workspace: z
                .string()
                .optional()
                .openapi({ description: "The caller's own workspace (the only one it may create keys for)" }),
            },
            "POST /keys",
          ),
        ),
      },
      responses: { 201: ok(z.object({ key: z.string(), info: KeyInfo }), "The new key"), ...errors() },
    },
    async (c) => {
      const b = body<{ role: Role; name?: string; workspace?: string }>(c);
      if (b.workspace !== undefined && b.workspace !== c.var.workspace) {
        // Never a key of another workspace, and never silently one of the caller's own instead.
        throw new LabbookError(
          "PERMISSION_DENIED",
          `workspace: an admin key creates keys of its own workspace (${c.var.workspace}) only; received ${JSON.stringify(b.workspace)} (keys of other workspaces: 'labbook keys create --workspace' on the server's machine)`,
          { field: "workspace" },
        );
      }
      return sendJson(
        await keyStore(d).create({ workspace: c.var.workspace, role: b.role, name: b.name }),
        201,
      );
    },
  );
  addRoute(
    app,
    {
      method: "delete",
      path: "/api/v1/keys/{id}",
      tags,
      summary: "Revoke an API key of the caller's workspace",
      request: { params: z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) }) },
      responses: { 200: ok(KeyInfo, "The revoked key"), ...errors(404) },
    },
    async (c) => sendJson(await keyStore(d).revoke(input<{ id: string }>(c, "param").id, c.var.workspace)),
  );
}
