import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json",
};

/** The page may load only its own scripts and styles, and talk only to its own server. */
const CSP =
  "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The built web page of this package: `dist/web` beside the compiled server (`dist/server`),
 * or the repository's `dist/web` when the server runs from its sources; `null` when not built.
 */
export function findWebRoot(): string | null {
  for (const rel of ["../web", "../../dist/web"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, "index.html"))) return dir;
  }
  return null;
}

/** A GET of the page's routes (not the API): a path without an extension gets `index.html`. */
function isPageRequest(method: string, path: string): boolean {
  return (method === "GET" || method === "HEAD") && !path.startsWith("/api/") && path !== "/healthz";
}

/**
 * Serves the web page from `root`: its files (hashed `assets/` cached for a year), and
 * `index.html` for the page's own paths (`/runs`, `/runs/<id>`...), which the page routes.
 */
export function webPage(root: string): MiddlewareHandler<AppEnv> {
  const base = resolve(root);
  return async (c, next) => {
    if (!isPageRequest(c.req.method, c.req.path)) return next();
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return next();
    }
    const file = resolve(base, `.${path}`);
    if (file !== base && !file.startsWith(base + sep)) return next();
    const ext = extname(file);
    if (ext !== "" && TYPES[ext] !== undefined) {
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return next();
      const immutable = path.startsWith("/assets/");
      return new Response(c.req.method === "HEAD" ? null : await readFile(file), {
        headers: {
          "content-type": TYPES[ext],
          "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
          "x-content-type-options": "nosniff",
        },
      });
    }
    if (ext !== "") return next();
    const html = await readFile(join(base, "index.html")).catch(() => null);
    if (html === null) return next();
    return new Response(c.req.method === "HEAD" ? null : html, {
      headers: {
        "content-type": TYPES[".html"]!,
        "cache-control": "no-cache",
        "content-security-policy": CSP,
        "x-content-type-options": "nosniff",
      },
    });
  };
}
