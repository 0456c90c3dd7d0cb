import { existsSync } from "node:fs";
import type { Command } from "commander";
import { invalid, LabbookError } from "../core/errors.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/types.js";

/** Thrown by a command to end the CLI with an exit code (after printing what it wants). */
export class CliExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

/** The global options of the program a command belongs to. */
export function globalOptions(cmd: Command): { store?: string } {
  let root = cmd;
  while (root.parent) root = root.parent;
  return root.opts<{ store?: string }>();
}

/** The help of the `--artifacts <uri>` option of the commands that take it (serve, merge). */
export const ARTIFACTS_HELP =
  "where a SQL store keeps artifact bytes: s3://bucket/prefix or a folder (default: $LABBOOK_ARTIFACTS, else the store folder's artifacts/)";

/**
 * Opens the store the global `--store` names (else the environment), its artifacts where the
 * command's own `--artifacts <uri>` says (serve, merge), else `$LABBOOK_ARTIFACTS`.
 *
 * @example
 * const store = await openGlobalStore(cmd);
 */
export function openGlobalStore(cmd: Command, uri = globalOptions(cmd).store): Promise<Store> {
  // Only a text value: `export --artifacts` is a flag of its own (include artifacts).
  const own = cmd.opts<{ artifacts?: unknown }>().artifacts;
  return openStore(uri, typeof own === "string" ? { artifacts: own } : {});
}

/**
 * Opens the store named by `--store` (or the environment), runs `fn` with it and closes it.
 *
 * @example
 * program.command("x").action((opts, cmd) => withStore(cmd, async (store) => { ... }));
 */
export async function withStore<T>(
  cmd: Command,
  fn: (store: Store) => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  const uri = globalOptions(cmd).store;
  if (options.readOnly) mustExist(uri);
  const store = await openGlobalStore(cmd);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * {@link withStore} for a command that only reads: a `--store` folder that does not exist is an
 * error (`store: must name an existing labbook store folder`), not a new empty store.
 *
 * @example
 * program.command("runs").action((opts, cmd) => withReadStore(cmd, async (store) => { ... }));
 */
export function withReadStore<T>(cmd: Command, fn: (store: Store) => Promise<T>): Promise<T> {
  return withStore(cmd, fn, { readOnly: true });
}

/**
 * A command that only reads refuses a `--store` folder that does not exist (a mistyped path)
 * instead of creating an empty store there; URLs and the default store are left to `openStore`.
 */
function mustExist(uri: string | undefined): void {
  if (uri === undefined || uri === "" || /^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return;
  if (!existsSync(uri)) {
    throw invalid(
      "store",
      "must name an existing labbook store folder (nothing is created by a command that only reads)",
      uri,
    );
  }
}

/** Prints one clear line for an error and returns the exit code (1; 70 for internal errors). */
export function reportError(e: unknown): number {
  if (e instanceof LabbookError) {
    process.stderr.write(`labbook: ${e.message}\n`);
    return e.code === "INTERNAL" ? 70 : 1;
  }
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`labbook: ${message}\n`);
  if (process.env.LABBOOK_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return 1;
}

/** Writes text to stdout. */
export function out(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}
