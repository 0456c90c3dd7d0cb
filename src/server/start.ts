import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { LabbookError } from "../core/errors.js";
import type { Store } from "../store/types.js";
import { createServer } from "./app.js";
import type { App } from "./env.js";
import type { ServerOptions } from "./options.js";

export interface StartServerOptions extends ServerOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 7878; 0 picks a free port. */
  port?: number;
  /** Longest time to receive a whole request, uploads included (default 10 minutes). */
  uploadTimeoutMs?: number;
}

export interface RunningServer {
  app: App;
  /** `http://host:port` (the port actually bound). */
  url: string;
  port: number;
  host: string;
  /** True while requests without a key are served (loopback, no key configured). */
  open: boolean;
  /**
   * Stops accepting connections, closes idle ones, and waits for every request handler to end
   * (one that outlived its response: at most the request timeout, or 10 s if longer). The store
   * stays open.
   */
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost", "[::1]"]);

/**
 * True for addresses only this machine can reach.
 *
 * @example
 * isLoopback("127.0.0.1"); // true
 * isLoopback("0.0.0.0");   // false
 */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Serves the HTTP API of a store on `host:port`. On a loopback address with no API key
 * configured it runs open (every request gets the store's workspace, role admin); bound to
 * any other address it refuses to start until a key exists (`labbook keys create`).
 *
 * @example
 * const server = await startServer(store, { port: 0 });
 * console.log(server.url); // http://127.0.0.1:40123
 * await server.close();
 */
export async function startServer(store: Store, options: StartServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const loopback = isLoopback(host);
  const {
    app,
    options: resolved,
    work,
  } = createServer(store, {
    ...options,
    allowOpen: options.allowOpen ?? loopback,
  });
  const hasKeys = resolved.keys ? await resolved.keys.hasActiveKeys() : false;
  if (!loopback && !hasKeys) {
    throw new LabbookError(
      "FAILED_PRECONDITION",
      `host: refusing to serve ${host} without API keys; create one with 'labbook keys create --workspace W --role write', or bind to 127.0.0.1`,
      { field: "host" },
    );
  }
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 7878 }, () => resolve(s));
    s.once("error", reject);
  });
  const http = server as import("node:http").Server;
  http.requestTimeout = options.uploadTimeoutMs ?? 10 * 60_000;
  http.headersTimeout = Math.min(60_000, http.requestTimeout);
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return {
    app,
    url: `http://${shown}:${port}`,
    port,
    host,
    open: resolved.allowOpen && !hasKeys,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        http.close((e) => (e ? reject(e) : resolve()));
        http.closeIdleConnections();
      });
      // Handlers that outlived their connection (a 504, a client gone) end before the store closes.
      await work.settled(Math.max(resolved.requestTimeoutMs, 10_000));
    },
  };
}
