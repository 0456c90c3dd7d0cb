import { LabbookError } from "../core/errors.js";
import { checkOptions, type KnownKeys } from "../core/known-keys.js";
import { openSqliteStore } from "./sql/dialects/sqlite/open.js";
import type { Store } from "./types.js";

export interface OpenStoreOptions {
  /** The workspace to read and write (`default`). */
  workspace?: string;
  /**
   * Where a SQL store keeps artifact bytes: `s3://bucket/prefix` (an S3-compatible bucket) or a
   * folder (`file:PATH`). Default: `$LABBOOK_ARTIFACTS`, else the embedded store's `artifacts/`
   * folder (a PostgreSQL store has none: its artifact calls then fail, naming this option).
   */
  artifacts?: string;
  /** API key for `http(s)://` stores (also `$LABBOOK_API_KEY`). */
  apiKey?: string;
  /**
   * `http(s)://` stores: how long a request may wait without progress (no answer, no byte of
   * a streamed body) before it fails with `UNAVAILABLE`; default 30,000 ms.
   */
  timeoutMs?: number;
  /**
   * A `running` run or execution whose last heartbeat is older than this many milliseconds
   * reads as `crashed` (default `$LABBOOK_HEARTBEAT_TIMEOUT_MS`, else 60,000); this store's open
   * runs send a heartbeat every third of it, at most every 10 seconds. A remote store's server
   * judges by its own timeout.
   */
  heartbeatTimeoutMs?: number;
}

const OPTION_KEYS = {
  workspace: true,
  apiKey: true,
  timeoutMs: true,
  heartbeatTimeoutMs: true,
  artifacts: true,
} as const satisfies KnownKeys<OpenStoreOptions>;

type Opener = (uri: string, options: OpenStoreOptions) => Promise<Store>;

const OPENERS = new Map<string, Opener>();

/**
 * Registers how to open store URIs of a scheme (`postgres`, `http`, ...). The embedded
 * SQLite store (a path or `sqlite:PATH`) is built in.
 */
export function registerStoreScheme(scheme: string, opener: Opener): void {
  OPENERS.set(scheme, opener);
}

/**
 * Opens a store: a folder path or `sqlite:PATH` (the embedded store, created when
 * absent), `postgres://` or `postgresql://` (the SQL store in a PostgreSQL database), or a URI
 * whose scheme was registered (`http://`). With no argument: `$LABBOOK_URL`, else
 * `$LABBOOK_STORE`, else `./labbook` (empty variables count as unset).
 *
 * @example
 * const store = await openStore();             // ./labbook
 * const other = await openStore("sqlite:/data/lab");
 * const team = await openStore("postgres://lab@db:5432/lab", { artifacts: "s3://team-bucket/labbook" });
 */
export async function openStore(uri?: string, options: OpenStoreOptions = {}): Promise<Store> {
  checkOptions(options, OPTION_KEYS, "openStore");
  // An empty variable counts as unset (`LABBOOK_STORE= cmd`), not as the current folder.
  const target = uri ?? (process.env.LABBOOK_URL || process.env.LABBOOK_STORE || "./labbook");
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(target);
  const scheme = m?.[1]?.toLowerCase();
  const artifacts = options.artifacts ?? (process.env.LABBOOK_ARTIFACTS || undefined);
  const sqlOptions = {
    workspace: options.workspace,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs,
    ...(artifacts ? { artifacts } : {}),
  };
  if (!scheme || scheme.length === 1 /* a Windows drive letter */) {
    return openSqliteStore(target, sqlOptions);
  }
  if (scheme === "sqlite" || scheme === "file") {
    return openSqliteStore(target.slice(scheme.length + 1).replace(/^\/\/(?=\/)/, ""), sqlOptions);
  }
  if (scheme === "postgres" || scheme === "postgresql") {
    const { openPostgresStore } = await import("./sql/dialects/postgres/open.js");
    return openPostgresStore(target, sqlOptions);
  }
  const opener = OPENERS.get(scheme);
  if (!opener) {
    throw new LabbookError(
      "INVALID_ARGUMENT",
      `store: unknown URI scheme "${scheme}" in ${JSON.stringify(target)}; use a folder path, sqlite:PATH, postgres://...${[...OPENERS.keys()].map((s) => `, ${s}://...`).join("")}`,
      { field: "store" },
    );
  }
  return opener(target, options);
}
