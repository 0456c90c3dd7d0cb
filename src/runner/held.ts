import type { RunStatus } from "../core/types.js";
import type { Store } from "../store/types.js";
import type { PlannedRun } from "./plan.js";

/**
 * The stored statuses a launch may replace when it reruns a run: those of a run nobody runs any
 * more (`crashed`, `cancelled`, `pending`), and `failed` with `rerunFailed`. Never `running` (another
 * process runs it) nor `success`.
 *
 * @example
 * replaceable(false); // ["crashed", "cancelled", "pending"]
 */
export function replaceable(rerunFailed: boolean): RunStatus[] {
  const statuses: RunStatus[] = ["crashed", "cancelled", "pending"];
  if (rerunFailed) statuses.push("failed");
  return statuses;
}

/**
 * Settles the runs another process held when this launch tried to claim them: waits (polling
 * their status) until each one ends there, `success` or `failed`, which counts as done (`done`),
 * or is given up there (`crashed` once its heartbeat is older than the store's timeout,
 * `cancelled`, deleted), which this launch then runs itself (`rerun`; a run claimed by yet
 * another process comes back to `held`). Returns when none is left or `signal` aborts.
 *
 * @example
 * await settleHeld(store, held, signal, (runs) => runPool(runs, 2, signal, runOne), (run) => skipped++);
 */
export async function settleHeld(
  store: Store,
  held: Map<string, PlannedRun>,
  signal: AbortSignal,
  rerun: (runs: PlannedRun[]) => Promise<void>,
  done: (run: PlannedRun) => void,
): Promise<void> {
  const pollMs = Math.max(20, Math.min(1000, Math.floor(store.heartbeatTimeoutMs / 4)));
  while (held.size > 0 && !signal.aborted) {
    const statuses = await store.runStatuses([...held.keys()]);
    const ready: PlannedRun[] = [];
    for (const [runId, run] of held) {
      const status = statuses[runId];
      if (status === "running") continue;
      held.delete(runId);
      if (status === "success" || status === "failed") done(run);
      else {
        run.stored = status;
        ready.push(run);
      }
    }
    if (ready.length > 0) await rerun(ready);
    else await sleep(pollMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const end = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", end);
      resolve();
    };
    const timer = setTimeout(end, ms);
    signal.addEventListener("abort", end, { once: true });
  });
}
