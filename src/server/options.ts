import type { Store } from "../store/types.js";
import type { ApiKeyStore } from "./keys/types.js";

/** Options of {@link createServer}. Every limit has a default fit for one machine. */
export interface ServerOptions {
  /**
   * Where API keys are kept. Default: the store's own database when it is a SQL store
   * (`labbook keys create` writes there); `null` for no keys at all.
   */
  keys?: ApiKeyStore | null;
  /**
   * Serve requests without a key while no key exists. `startServer` sets it only when bound
   * to a loopback address (127.0.0.1, ::1, localhost). Default `false`.
   */
  allowOpen?: boolean;
  /** The store of a workspace. Default: `store.withWorkspace(w)` when the store has it. */
  storeFor?: (workspace: string) => Store;
  /** Largest JSON request body in bytes (default 16 MiB). */
  jsonLimitBytes?: number;
  /** Largest artifact or JSONL upload in bytes (default 1 GiB). */
  uploadLimitBytes?: number;
  /** Largest `page_size` / `limit` of a listing (default 1000). */
  maxPageSize?: number;
  /** Time for a non-streaming request to produce its response (default 30 s). */
  requestTimeoutMs?: number;
  /**
   * Requests whose handlers run at once (default 4); the others wait in arrival order. The
   * store answers one query at a time in this process anyway, so a short FIFO queue keeps the
   * slowest requests close to the mean. Uploads do not queue.
   */
  maxConcurrent?: number;
  /** Where unexpected errors are logged (default `console.error`); clients only see "internal error". */
  log?: (error: unknown) => void;
  /**
   * Browser origins allowed to call the API from another page (`https://app.example.com`, or
   * `*` for any): their CORS preflights are answered (no key needed for the preflight) and
   * responses carry `Access-Control-Allow-Origin`. Default none.
   */
  corsOrigins?: readonly string[];
  /**
   * The folder of the web page's built assets, served at `/` (default: `dist/web` of this
   * package when it was built); `false` serves no page.
   */
  webRoot?: string | false;
}

/** The options with every default filled in. */
export interface ResolvedOptions {
  keys: ApiKeyStore | null;
  allowOpen: boolean;
  storeFor: (workspace: string) => Store;
  jsonLimitBytes: number;
  uploadLimitBytes: number;
  maxPageSize: number;
  requestTimeoutMs: number;
  maxConcurrent: number;
  log: (error: unknown) => void;
  corsOrigins: readonly string[];
  /** The web page's folder, or `null` when no page is served. */
  webRoot: string | null;
}

export const DEFAULT_LIMITS = {
  jsonLimitBytes: 16 * 1024 * 1024,
  uploadLimitBytes: 1024 * 1024 * 1024,
  maxPageSize: 1000,
  requestTimeoutMs: 30_000,
  maxConcurrent: 4,
} as const;
