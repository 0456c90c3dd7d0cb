import type { RunHandle } from "./run-handle.js";
import { NOT_FINISHED } from "./run-values.js";
import type { Store } from "./types.js";

/**
 * The runs started in this process and not ended yet, by store: what `store.close()` and the
 * end of the process end (see exit-hooks.ts), and what a store's own timers may visit.
 */
const open = new Map<Store, Set<RunHandle>>();

/**
 * Notes a run as open in `store` until {@link untrackRun}.
 *
 * @example
 * trackRun(store, handle);
 */
export function trackRun(store: Store, handle: RunHandle): void {
  let runs = open.get(store);
  if (!runs) {
    runs = new Set();
    open.set(store, runs);
  }
  runs.add(handle);
}

/**
 * Notes a run as ended (or given up).
 *
 * @example
 * untrackRun(store, handle);
 */
export function untrackRun(store: Store, handle: RunHandle): void {
  const runs = open.get(store);
  if (!runs) return;
  runs.delete(handle);
  if (runs.size === 0) open.delete(store);
}

/**
 * The open runs of one store, or of every store when `store` is omitted.
 *
 * @example
 * openRuns(store).length; // runs started through `store` and not ended
 */
export function openRuns(store?: Store): RunHandle[] {
  if (store) return [...(open.get(store) ?? [])];
  return [...open.values()].flatMap((runs) => [...runs]);
}

/**
 * Writes what the open runs of `store` hold and ends them `failed` ("ended without finish():
 * the store was closed"): what `store.close()` does first.
 *
 * @example
 * await endOpenRuns(store);
 */
export async function endOpenRuns(store: Store): Promise<void> {
  const error = { ...NOT_FINISHED, message: `${NOT_FINISHED.message}: the store was closed` };
  await Promise.all(openRuns(store).map((run) => run.endOpen({ status: "failed", error })));
}
