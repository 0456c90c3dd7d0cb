import { isLabbookError, LabbookError } from "../core/errors.js";
import type { RunStatus } from "../core/types.js";
import type { RunHandle } from "../store/run-handle.js";
import type { Store } from "../store/types.js";
import { RunCapture } from "./capture.js";
import type { SchemaBuilder } from "./infer-schema.js";
import type { PlannedRun } from "./plan.js";
import type { Capture, ExecutionHandle } from "./types.js";

/** Calls a run's function: in this process, or in a worker (which proxies `capture`). */
export interface RunInvoker {
  invoke(
    run: PlannedRun,
    context: {
      capture: Capture;
      execution: ExecutionHandle;
      signal: AbortSignal;
      /** Called when the function starts (a worker may first have to start): the timeout counts from here. */
      started(): void;
    },
  ): Promise<unknown>;
  /** Tells the invoker a run was given up (timeout, cancel): a worker may be stopped. */
  abandon?(run: PlannedRun): void;
  close(): Promise<void>;
}

/**
 * How one run ended: `held` when another process holds it (it claimed the run first, or runs it
 * now): the sweep waits for that process to end it (see held.ts).
 */
export type RunOutcome = "success" | "failed" | "cancelled" | "held";

export interface ExecuteRunContext {
  store: Store;
  experimentId: string;
  context: unknown;
  executionId: string;
  execution: ExecutionHandle;
  invoker: RunInvoker;
  timeoutMs: number | undefined;
  /** The sweep's signal: aborted on SIGINT, `options.signal` or a store failure. */
  signal: AbortSignal;
  outputs: SchemaBuilder;
  /** The stored statuses this launch may replace (see `replaceable`). */
  replaceIf: RunStatus[];
}

type Ending = { kind: "ok" } | { kind: "error"; error: unknown } | { kind: "timeout" } | { kind: "cancel" };

/**
 * Runs one planned run: claims it (writes it, `running`, under its deterministic id, replacing
 * the stored one only when that one may be rerun: see `replaceIf`) before its function starts, so
 * that of several processes resuming one sweep only one runs it; calls its function, and ends
 * it `success`, `failed` (the error kept; a `TIMEOUT` error past `timeoutMs`) or `cancelled`
 * (the sweep was interrupted). `held` when another process has the run.
 */
export async function executeRun(ctx: ExecuteRunContext, run: PlannedRun): Promise<RunOutcome> {
  let handle: RunHandle;
  try {
    handle = await ctx.store.startRun({
      experiment: ctx.experimentId,
      runId: run.runId,
      params: run.params,
      seed: run.seed,
      context: ctx.context,
      tags: run.tags,
      executionId: ctx.executionId,
      ...(run.stored === undefined
        ? { ifExists: "error" as const }
        : { ifExists: "replace" as const, replaceIf: ctx.replaceIf }),
    }); // the claim: startRun returns once the run is written
  } catch (e) {
    if (isLabbookError(e, "ALREADY_EXISTS")) return "held";
    throw e;
  }
  const capture = new RunCapture(handle, ctx.outputs);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  let startTimer: () => void = () => undefined;
  const stop = new Promise<Ending>((resolve) => {
    startTimer = () => {
      if (ctx.timeoutMs !== undefined && timer === undefined) {
        timer = setTimeout(() => resolve({ kind: "timeout" }), ctx.timeoutMs);
      }
    };
    onAbort = () => resolve({ kind: "cancel" });
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener("abort", onAbort, { once: true });
  });
  const work: Promise<Ending> = Promise.resolve()
    .then(() =>
      ctx.invoker.invoke(run, {
        capture,
        execution: ctx.execution,
        signal: controller.signal,
        started: startTimer,
      }),
    )
    .then(
      () => ({ kind: "ok" }) as const,
      (error: unknown) => ({ kind: "error", error }) as const,
    );
  const ending = await Promise.race([work, stop]);
  clearTimeout(timer);
  if (onAbort) ctx.signal.removeEventListener("abort", onAbort);
  try {
    return await endRun(ctx, run, ending, { handle, capture, controller });
  } catch (e) {
    // Another process stored this run first (two launches of one sweep): it is theirs.
    if (isLabbookError(e, "ALREADY_EXISTS")) return "held";
    throw e;
  }
}

/** Ends a run as its function ended: waits for its writes, keeps its log, sets its status. */
async function endRun(
  ctx: ExecuteRunContext,
  run: PlannedRun,
  ending: Ending,
  parts: { handle: RunHandle; capture: RunCapture; controller: AbortController },
): Promise<RunOutcome> {
  const { handle, capture, controller } = parts;
  switch (ending.kind) {
    case "ok":
      try {
        await capture.settle();
      } catch (e) {
        await capture.writeLog().catch(() => undefined);
        await handle.fail(e);
        return "failed";
      }
      await handle.finish();
      return "success";
    case "error":
      await capture.settle().catch(() => capture.writeLog().catch(() => undefined));
      await handle.fail(ending.error);
      return "failed";
    case "timeout": {
      const error = new LabbookError(
        "TIMEOUT",
        `run ${run.runId} took longer than timeoutMs (${ctx.timeoutMs} ms)`,
        {
          field: "timeoutMs",
          details: { timeoutMs: ctx.timeoutMs },
        },
      );
      controller.abort(error);
      ctx.invoker.abandon?.(run);
      capture.close();
      await capture.writeLog().catch(() => undefined);
      await handle.fail(error);
      return "failed";
    }
    case "cancel":
      controller.abort(new LabbookError("CANCELLED", "the sweep was interrupted"));
      ctx.invoker.abandon?.(run);
      capture.close();
      await capture.writeLog().catch(() => undefined);
      await handle.cancel();
      return "cancelled";
  }
}
