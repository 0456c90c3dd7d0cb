import cluster from "node:cluster";
import type { Command } from "commander";
import { invalid, LabbookError } from "../../core/errors.js";
import { checkCorsOrigins } from "../../server/cors.js";
import { type StartServerOptions, startServer } from "../../server/start.js";
import "../../store/remote/register.js";
import type { Store } from "../../store/types.js";
import { ARTIFACTS_HELP, globalOptions, openGlobalStore, reportError } from "../context.js";

interface ServeOptions {
  host: string;
  port: string;
  jsonLimit?: string;
  uploadLimit?: string;
  maxPageSize?: string;
  timeout?: string;
  workers?: string;
  maxConcurrent?: string;
  corsOrigin?: string[];
}

function whole(text: string | undefined, flag: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw invalid(flag, `must be a whole number >= ${min}`, text);
  }
  return n;
}

/**
 * `labbook serve [--store URI] [--host 127.0.0.1] [--port 7878]`: the HTTP API (and its
 * OpenAPI document at /api/v1/openapi.json) until SIGINT or SIGTERM.
 *
 * @example
 * labbook --store ./labbook serve --port 7878
 */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve the store over HTTP (REST API under /api/v1, OpenAPI at /api/v1/openapi.json)")
    .option("--host <address>", "address to bind; other than loopback needs API keys", "127.0.0.1")
    .option("--port <n>", "port (0 picks a free one)", "7878")
    .option("--json-limit <bytes>", "largest JSON body (default 16 MiB)")
    .option("--upload-limit <bytes>", "largest artifact or JSONL upload (default 1 GiB)")
    .option("--max-page-size <n>", "largest page of a listing (default 1000)")
    .option("--timeout <ms>", "time for a request to produce its response (default 30000)")
    .option("--max-concurrent <n>", "requests handled at once per process; others queue in order (default 4)")
    .option("--artifacts <uri>", ARTIFACTS_HELP)
    .option("--workers <n>", "server processes sharing the port (the server keeps no state; default 1)")
    .option(
      "--cors-origin <origins...>",
      "browser origins allowed to call the API (https://app.example.com; comma-separated or repeated; * for any)",
    )
    .action(async (opts: ServeOptions, cmd: Command) => {
      const workers = whole(opts.workers, "--workers", 1) ?? 1;
      const uri = globalOptions(cmd).store;
      const options = serverOptions(opts); // every flag checked before any process starts
      if (workers > 1 && cluster.isPrimary) return superviseWorkers(workers, uri ?? "");
      const open = () => openGlobalStore(cmd);
      if (!cluster.isWorker) return serveUntilSignal(open, options);
      // a worker process: its IPC channel keeps it alive, so it exits by itself when done
      try {
        await serveUntilSignal(open, options);
        process.exit(0);
      } catch (e) {
        process.exit(reportError(e));
      }
    });
}

/** The server's options from the flags; errors name the flag and the value typed. */
function serverOptions(opts: ServeOptions): StartServerOptions {
  return {
    host: opts.host,
    port: whole(opts.port, "--port", 0),
    jsonLimitBytes: whole(opts.jsonLimit, "--json-limit", 1),
    uploadLimitBytes: whole(opts.uploadLimit, "--upload-limit", 1),
    maxPageSize: whole(opts.maxPageSize, "--max-page-size", 1),
    requestTimeoutMs: whole(opts.timeout, "--timeout", 1),
    maxConcurrent: whole(opts.maxConcurrent, "--max-concurrent", 1),
    corsOrigins: checkCorsOrigins(
      opts.corsOrigin?.flatMap((o) => o.split(",").map((s) => s.trim())).filter((s) => s !== ""),
      "--cors-origin",
    ),
  };
}

/** Opens the store, serves it until SIGINT or SIGTERM, then closes both. */
async function serveUntilSignal(open: () => Promise<Store>, options: StartServerOptions): Promise<void> {
  const store = await open();
  try {
    const server = await startServer(store, options);
    const mode = server.open ? "open: no API key configured, loopback only" : "API keys required";
    if (cluster.isPrimary) process.stdout.write(`labbook serving ${store.uri} at ${server.url} (${mode})\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await server.close();
  } finally {
    await store.close();
  }
}

/**
 * Forks `n` server processes that share one port (each opens the store itself: SQLite in WAL
 * mode serves several processes), prints the address once the first listens, and stops them
 * on SIGINT or SIGTERM; the address is printed once every worker listens. A worker that fails
 * before listening fails the command.
 */
async function superviseWorkers(n: number, store: string): Promise<void> {
  const forked = Array.from({ length: n }, () => cluster.fork());
  await new Promise<void>((resolve, reject) => {
    let listening = 0;
    cluster.on("listening", (_w, address) => {
      if (++listening !== n) return;
      const host = address.address?.includes(":") ? `[${address.address}]` : (address.address ?? "127.0.0.1");
      process.stdout.write(
        `labbook serving ${store || "the store"} at http://${host}:${address.port} (${n} worker processes)\n`,
      );
    });
    let exited = 0;
    cluster.on("exit", (_w, code) => {
      if (listening < n && code !== 0) {
        for (const w of forked) w.process.kill("SIGTERM");
        reject(new LabbookError("UNAVAILABLE", `a server process exited with code ${code} before listening`));
      }
      if (++exited === n) resolve();
    });
    const stop = () => {
      for (const w of forked) w.process.kill("SIGTERM");
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
