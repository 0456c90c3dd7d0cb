/**
 * The entry of a runner worker (a worker thread or a child process): imports the experiment's
 * module, then runs the runs it is sent, forwarding `capture` and `execution` calls to the
 * runner, which owns the store. `workerData` (threads) or `LABBOOK_WORKER` (processes) holds
 * `{ module, exportName }`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { isExperiment } from "../define.js";
import { experimentExport } from "../load-module.js";
import "./spawn.js";
import type { Capture, ExecutionHandle, Experiment } from "../types.js";
import { type CallOp, type FromWorker, fromWire, type ToWorker, toWire } from "./protocol.js";

interface Setup {
  module: string;
  exportName: string;
}

const setup: Setup = parentPort ? (workerData as Setup) : JSON.parse(process.env.LABBOOK_WORKER ?? "{}");
const send: (m: FromWorker) => void = parentPort
  ? (m) => parentPort!.postMessage(m)
  : (m) => {
      process.send!(m);
    };

if (!parentPort) {
  // Ctrl-C reaches the whole process group: the runner decides what happens to this run.
  process.on("SIGINT", () => undefined);
  process.on("disconnect", () => process.exit(0));
}
// A capture call the run did not await fails the run on the runner's side; nothing to do here.
process.on("unhandledRejection", () => undefined);

const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
const controllers = new Map<string, AbortController>();
let seq = 0;

function call(runId: string, op: CallOp, args: unknown[]): Promise<unknown> {
  const id = ++seq;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    send({ t: "call", seq: id, runId, op, args });
  });
}

function proxyCapture(runId: string): Capture {
  return {
    metric: (name, value, options) => call(runId, "metric", [name, value, options]) as Promise<void>,
    metrics: (record, options) => call(runId, "metrics", [record, options]) as Promise<void>,
    params: (values) => call(runId, "params", [values]) as Promise<void>,
    row: (row) => call(runId, "row", [row]) as Promise<void>,
    rows: (rows) => call(runId, "rows", [rows]) as Promise<void>,
    artifact: (name, value, options) => call(runId, "artifact", [name, value, options]) as never,
    data: (name, value) => call(runId, "data", [name, value]) as never,
    log: (text) => {
      void call(runId, "log", [text]).catch(() => undefined);
    },
  };
}

async function runOne(experiment: Experiment, m: Extract<ToWorker, { t: "run" }>): Promise<void> {
  const controller = new AbortController();
  controllers.set(m.runId, controller);
  const execution: ExecutionHandle = {
    experimentName: m.experimentName,
    executionId: m.executionId,
    save: (value, name) => call(m.runId, "save", [value, name]) as never,
    load: (name) => call(m.runId, "load", [name]),
  };
  try {
    await experiment.run({
      params: m.params,
      seed: m.seed,
      capture: proxyCapture(m.runId),
      signal: controller.signal,
      runId: m.runId,
      tags: m.tags,
      execution,
    });
    send({ t: "done", runId: m.runId });
  } catch (e) {
    send({ t: "done", runId: m.runId, error: toWire(e) });
  } finally {
    controllers.delete(m.runId);
  }
}

function onMessage(experiment: Experiment) {
  return (m: ToWorker) => {
    if (m.t === "run") void runOne(experiment, m);
    else if (m.t === "abort")
      controllers.get(m.runId)?.abort(new Error("the run was given up (timeout or cancel)"));
    else if (m.t === "reply") {
      const p = pending.get(m.seq);
      pending.delete(m.seq);
      if (!p) return;
      if (m.ok) p.resolve(m.value);
      else p.reject(fromWire(m.error!));
    }
  };
}

globalThis.__labbookRunnerWorker = true;
try {
  const mod = (await import(setup.module)) as Record<string, unknown>;
  const experiment = experimentExport(mod, setup.exportName);
  if (!isExperiment(experiment)) {
    throw new Error(
      `${setup.module} has no experiment (defineExperiment) as its export "${setup.exportName}"`,
    );
  }
  const handler = onMessage(experiment);
  if (parentPort) parentPort.on("message", handler);
  else process.on("message", handler as (m: unknown) => void);
  send({ t: "ready" });
} catch (e) {
  send({ t: "fatal", error: toWire(e) });
  if (!parentPort) process.disconnect?.();
}
