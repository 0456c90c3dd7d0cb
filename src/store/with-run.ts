import type { StartRunInput } from "../core/types.js";
import type { RunHandle } from "./run-handle.js";
import type { Store } from "./types.js";

/**
 * Starts a run, calls `fn` with it, and ends it: `success` when `fn` returns, `failed` with
 * the error when it throws (and the error is thrown on). A run that `fn` ended itself is left
 * as it is. Every store's `withRun` is this.
 *
 * @example
 * const acc = await withRun(store, { experiment: "mnist", params: { lr: 0.01 } }, async (run) => {
 *   await run.logMetric("acc", 0.9);
 *   return 0.9;
 * });
 */
export async function withRun<T>(
  store: Store,
  input: StartRunInput,
  fn: (run: RunHandle) => Promise<T> | T,
): Promise<T> {
  const run = await store.startRun(input);
  let result: T;
  try {
    result = await fn(run);
  } catch (e) {
    // The function's error is the one to report, whatever ending the run met.
    if (run.status === "running") await run.fail(e).catch(() => undefined);
    throw e;
  }
  if (run.status === "running") await run.finish();
  return result;
}
