import type { Command } from "commander";
import { LabbookError } from "../core/errors.js";
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

/**
 * Opens the store named by `--store` (or the environment), runs `fn` with it and closes it.
 *
 * @example
 * program.command("x").action((opts, cmd) => withStore(cmd, async (store) => { ... }));
 */
export async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(globalOptions(cmd).store);
  try {
    return await fn(store);
  } finally {
    await store.close();
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
