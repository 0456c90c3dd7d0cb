import { openRuns } from "./open-runs.js";
import { NOT_FINISHED, type RunEnd, toRunError } from "./run-values.js";

/**
 * What becomes of runs left open when the process ends (installed with the first run):
 * - the event loop empties (the script's end, without `finish()`): they are written and end
 *   `failed` with "ended without finish()", through any store (`beforeExit`);
 * - `process.exit()`, or an uncaught error: their buffered and queued writes are written
 *   synchronously in the `exit` event, and they end `failed` ("ended without finish()", or the
 *   uncaught error): the embedded store only (a store over a network cannot write then);
 * - SIGINT or SIGTERM with no other listener: they end `cancelled` (synchronously on the embedded
 *   store, else within {@link SIGNAL_GRACE_MS}), then the signal is raised again so the process
 *   ends as the signal would have ended it. When the program listens to the signal itself, it
 *   decides; runs it leaves open at exit then end `cancelled`.
 */
let installed = false;
let signalled: NodeJS.Signals | null = null;
let fatal: { error: unknown } | null = null;
let ending = false;

/** How long a signal waits for open runs of a network store to be ended before it ends the process. */
export const SIGNAL_GRACE_MS = 5000;

/**
 * Installs the process hooks (once).
 *
 * @example
 * installExitHooks();
 */
export function installExitHooks(): void {
  if (installed) return;
  installed = true;
  process.on("beforeExit", onBeforeExit);
  process.on("exit", onExit);
  process.on("uncaughtExceptionMonitor", onUncaught);
  // First in line: it sees every other listener, before a `once` listener removes itself.
  process.prependListener("SIGINT", onSignal);
  process.prependListener("SIGTERM", onSignal);
}

/** The end of a run the process leaves open now. */
function exitEnd(): RunEnd {
  const finishedAt = Date.now();
  if (signalled) return { status: "cancelled", finishedAt };
  if (fatal) return { status: "failed", error: toRunError(fatal.error), finishedAt };
  return { status: "failed", error: { ...NOT_FINISHED }, finishedAt };
}

function onBeforeExit(): void {
  const runs = openRuns();
  if (runs.length === 0) return;
  // The writes keep the loop alive; `beforeExit` comes again once they are done.
  const end = exitEnd();
  for (const run of runs) void run.endOpen(end);
}

function onExit(): void {
  const runs = openRuns();
  if (runs.length === 0) return;
  const end = exitEnd();
  for (const run of runs) {
    try {
      run.endNow(end);
    } catch {
      // nothing more can be done at exit
    }
  }
}

function onUncaught(error: unknown): void {
  // Fatal unless the program handles uncaught errors itself.
  if (process.listenerCount("uncaughtException") === 0) fatal = { error };
}

function onSignal(signal: NodeJS.Signals): void {
  if (ending) {
    raiseAgain(signal); // a second signal: end now
    return;
  }
  signalled = signal;
  if (process.listenerCount(signal) > 1) return; // the program handles it
  const end = exitEnd();
  const rest = openRuns().filter((run) => !run.endNow(end));
  if (rest.length === 0) {
    raiseAgain(signal);
    return;
  }
  ending = true;
  const timer = setTimeout(() => raiseAgain(signal), SIGNAL_GRACE_MS);
  void Promise.allSettled(rest.map((run) => run.endOpen(end))).then(() => {
    clearTimeout(timer);
    raiseAgain(signal);
  });
}

/** Ends the process as the signal does when nobody listens. */
function raiseAgain(signal: NodeJS.Signals): void {
  process.off(signal, onSignal);
  process.kill(process.pid, signal);
}
