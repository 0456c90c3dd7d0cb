/** Messages between the runner and a worker (thread or child process), one run at a time. */

/** Capture and execution calls a worker forwards to the runner, which owns the store. */
export type CallOp =
  | "metric"
  | "metrics"
  | "params"
  | "row"
  | "rows"
  | "artifact"
  | "data"
  | "log"
  | "save"
  | "load";

export interface WireError {
  name: string;
  message: string;
  stack: string | null;
  code?: string;
}

export type ToWorker =
  | {
      t: "run";
      runId: string;
      params: Record<string, unknown>;
      seed: number;
      tags: Record<string, string>;
      executionId: string;
      experimentName: string;
    }
  | { t: "reply"; seq: number; ok: boolean; value?: unknown; error?: WireError }
  | { t: "abort"; runId: string };

export type FromWorker =
  | { t: "ready" }
  | { t: "fatal"; error: WireError }
  | { t: "call"; seq: number; runId: string; op: CallOp; args: unknown[] }
  | { t: "done"; runId: string; error?: WireError };

/** What crosses the wire for an error (its class does not). */
export function toWire(e: unknown): WireError {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return {
      name: e.name,
      message: e.message,
      stack: e.stack ?? null,
      ...(typeof code === "string" ? { code } : {}),
    };
  }
  return { name: "Error", message: String(e), stack: null };
}

/** An `Error` again, with the name, message and stack it had in the worker. */
export function fromWire(w: WireError): Error {
  const e = new Error(w.message);
  e.name = w.name;
  if (w.stack) e.stack = w.stack;
  if (w.code) (e as Error & { code?: string }).code = w.code;
  return e;
}
