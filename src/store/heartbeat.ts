import { invalid } from "../core/errors.js";
import type { ExecutionKey, Store } from "./types.js";

/** The heartbeat timeout when neither the option nor `$LABBOOK_HEARTBEAT_TIMEOUT_MS` sets one. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 60_000;
/** Heartbeats are sent at least this often (and every third of the timeout when that is shorter). */
const MAX_INTERVAL_MS = 10_000;

/**
 * The heartbeat timeout a store judges by: the option, else `$LABBOOK_HEARTBEAT_TIMEOUT_MS`, else
 * 60 seconds. `INVALID_ARGUMENT` for anything but a whole number of milliseconds >= 1.
 *
 * @example
 * heartbeatTimeout(undefined); // 60000 (unless $LABBOOK_HEARTBEAT_TIMEOUT_MS says otherwise)
 */
export function heartbeatTimeout(option: number | undefined): number {
  if (option !== undefined) return checkTimeout(option, "heartbeatTimeoutMs");
  const env = process.env.LABBOOK_HEARTBEAT_TIMEOUT_MS;
  if (env === undefined || env.trim() === "") return DEFAULT_HEARTBEAT_TIMEOUT_MS;
  return checkTimeout(Number(env), "LABBOOK_HEARTBEAT_TIMEOUT_MS", env);
}

function checkTimeout(v: unknown, field: string, shown: unknown = v): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) {
    throw invalid(field, "must be a whole number of milliseconds >= 1", shown);
  }
  return v;
}

/**
 * How often the handles of a store with this timeout send their heartbeat: a third of it,
 * at most every 10 seconds.
 *
 * @example
 * heartbeatInterval(60_000); // 10000
 */
export function heartbeatInterval(timeoutMs: number): number {
  return Math.max(1, Math.min(MAX_INTERVAL_MS, Math.floor(timeoutMs / 3)));
}

/**
 * One unreferenced timer per store for every run and execution it keeps alive (not a timer
 * per run, like the flush ticker): each tick sends one {@link Store.heartbeat} naming them all;
 * the timer stops at the first tick that finds nothing left. A tick still in flight makes the next one wait; a failed
 * one is retried by the next.
 */
class Heartbeat {
  readonly #store: Store;
  readonly #runs = new Set<string>();
  readonly #executions = new Map<string, ExecutionKey>();
  #timer: NodeJS.Timeout | null = null;
  #sending = false;

  constructor(store: Store) {
    this.#store = store;
  }

  addRun(runId: string): void {
    this.#runs.add(runId);
    this.#start();
  }
  removeRun(runId: string): void {
    this.#runs.delete(runId); // the timer stops at its next tick when nothing is left
  }
  addExecution(key: ExecutionKey): void {
    this.#executions.set(executionKey(key), { name: key.name, executionId: key.executionId });
    this.#start();
  }
  removeExecution(key: ExecutionKey): void {
    this.#executions.delete(executionKey(key));
    this.#stopWhenIdle();
  }
  stop(): void {
    this.#runs.clear();
    this.#executions.clear();
    this.#stopWhenIdle();
  }

  #start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#tick(), heartbeatInterval(this.#store.heartbeatTimeoutMs));
    this.#timer.unref();
  }
  #stopWhenIdle(): void {
    if (this.#runs.size > 0 || this.#executions.size > 0 || !this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = null;
  }
  #tick(): void {
    // Stopped here, not when the last run ends: a store that starts and ends runs one after
    // another keeps one timer instead of making one per run.
    if (this.#runs.size === 0 && this.#executions.size === 0) {
      this.#stopWhenIdle();
      return;
    }
    if (this.#sending) return;
    this.#sending = true;
    const beat = { runIds: [...this.#runs], executions: [...this.#executions.values()] };
    this.#store
      .heartbeat(beat)
      .catch(() => undefined) // the next tick tries again: about three in a row must fail before the runs read crashed
      .finally(() => {
        this.#sending = false;
      });
  }
}

function executionKey(key: ExecutionKey): string {
  return `${key.name}\u0000${key.executionId}`;
}

const heartbeats = new WeakMap<Store, Heartbeat>();

function heartbeatOf(store: Store): Heartbeat {
  let h = heartbeats.get(store);
  if (!h) {
    h = new Heartbeat(store);
    heartbeats.set(store, h);
  }
  return h;
}

/**
 * Keeps a run alive: the store's timer sends its heartbeat until {@link stopBeating}.
 *
 * @example
 * keepAlive(store, { runId: handle.runId });
 * keepAlive(store, { execution: { name: "sweep", executionId: "20261122_094501" } });
 */
export function keepAlive(store: Store, what: { runId: string } | { execution: ExecutionKey }): void {
  if ("runId" in what) heartbeatOf(store).addRun(what.runId);
  else heartbeatOf(store).addExecution(what.execution);
}

/**
 * Stops the heartbeat of a run or execution (it ended, or was given up).
 *
 * @example
 * stopBeating(store, { runId: handle.runId });
 */
export function stopBeating(store: Store, what: { runId: string } | { execution: ExecutionKey }): void {
  const h = heartbeats.get(store);
  if (!h) return;
  if ("runId" in what) h.removeRun(what.runId);
  else h.removeExecution(what.execution);
}

/**
 * Stops every heartbeat of a store (it closes).
 *
 * @example
 * stopHeartbeats(store);
 */
export function stopHeartbeats(store: Store): void {
  heartbeats.get(store)?.stop();
}
