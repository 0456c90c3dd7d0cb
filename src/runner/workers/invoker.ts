import { pathToFileURL } from "node:url";
import { invalid } from "../../core/errors.js";
import type { RunInvoker } from "../execute-run.js";
import type { PlannedRun } from "../plan.js";
import type { Capture, ExecutionHandle, Experiment } from "../types.js";
import { type CallOp, type FromWorker, fromWire, toWire } from "./protocol.js";
import { spawnWorker, type WorkerChannel } from "./spawn.js";

interface Job {
  run: PlannedRun;
  ctx: { capture: Capture; execution: ExecutionHandle; started(): void };
  resolve(): void;
  reject(e: unknown): void;
}

interface Lane {
  channel: WorkerChannel;
  ready: Promise<void>;
  job: Job | null;
}

type Ctx = Job["ctx"];
// biome-ignore lint/suspicious/noExplicitAny: arguments arrive from the worker untyped; each capture method checks them.
type Args = any[];

const OPS: Record<CallOp, (c: Ctx, a: Args) => unknown> = {
  metric: (c, a) => c.capture.metric(a[0], a[1], a[2]),
  metrics: (c, a) => c.capture.metrics(a[0], a[1]),
  params: (c, a) => c.capture.params(a[0]),
  row: (c, a) => c.capture.row(a[0]),
  rows: (c, a) => c.capture.rows(a[0]),
  artifact: (c, a) => c.capture.artifact(a[0], a[1], a[2]),
  data: (c, a) => c.capture.data(a[0], a[1]),
  log: (c, a) => c.capture.log(a[0]),
  save: (c, a) => c.execution.save(a[0], a[1]),
  load: (c, a) => c.execution.load(a[0]),
};

function moduleUrl(m: string | URL): string {
  if (m instanceof URL) return m.href;
  return /^[a-z][a-z0-9+.-]*:/i.test(m) && !/^[a-z]:[\\/]/i.test(m) ? m : pathToFileURL(m).href;
}

/**
 * Runs run functions in `size` worker threads or child processes (started when first
 * needed), one run per worker at a time. Each worker imports the experiment's module;
 * `capture` and `execution` calls come back here, where the store is. A worker whose run is
 * given up (timeout, cancel) is stopped, and a new one is started for the next run.
 */
export function workerInvoker(
  experiment: Experiment,
  kind: "threads" | "processes",
  size: number,
): RunInvoker {
  if (experiment.module === undefined) {
    throw invalid(
      "module",
      `experiment ${experiment.name} needs module: import.meta.url (and to be exported) to run in ${kind}`,
    );
  }
  const setup = {
    module: moduleUrl(experiment.module),
    exportName: experiment.exportName ?? "default",
    labbookRunner: true as const,
  };
  const idle: Lane[] = [];
  const lanes = new Set<Lane>();
  const waiting: ((lane: Lane) => void)[] = [];
  let closed = false;

  const start = (): Lane => {
    const channel = spawnWorker(kind, setup);
    let ready!: () => void;
    let fatal!: (e: unknown) => void;
    const readyPromise = new Promise<void>((res, rej) => {
      ready = res;
      fatal = rej;
    });
    const lane: Lane = { channel, job: null, ready: readyPromise };
    lane.ready.catch(() => undefined);
    channel.onMessage((m: FromWorker) => {
      if (m.t === "ready") ready();
      else if (m.t === "fatal") fatal(fromWire(m.error));
      else if (m.t === "call") {
        const job = lane.job;
        if (!job || job.run.runId !== m.runId) return;
        Promise.resolve()
          .then(() => OPS[m.op](job.ctx, m.args))
          .then(
            (value) => channel.send({ t: "reply", seq: m.seq, ok: true, value }),
            (e) => channel.send({ t: "reply", seq: m.seq, ok: false, error: toWire(e) }),
          );
      } else if (m.t === "done") {
        const job = lane.job;
        if (!job || job.run.runId !== m.runId) return;
        lane.job = null;
        if (m.error) job.reject(fromWire(m.error));
        else job.resolve();
        release(lane);
      }
    });
    channel.onExit((code) => {
      lanes.delete(lane);
      const i = idle.indexOf(lane);
      if (i >= 0) idle.splice(i, 1);
      const error = new Error(
        `the ${kind === "threads" ? "worker thread" : "worker process"} running it exited (code ${code})`,
      );
      fatal(error);
      lane.job?.reject(error);
      lane.job = null;
      serveWaiters();
    });
    lanes.add(lane);
    return lane;
  };

  /** Runs waiting for a worker get new ones while the pool is below its size. */
  const serveWaiters = () => {
    while (!closed && waiting.length > 0 && lanes.size < size) waiting.shift()!(start());
  };

  const release = (lane: Lane) => {
    if (!lanes.has(lane)) return;
    const next = waiting.shift();
    if (next) next(lane);
    else idle.push(lane);
  };

  const acquire = (): Promise<Lane> => {
    const lane = idle.pop();
    if (lane) return Promise.resolve(lane);
    if (lanes.size < size) return Promise.resolve(start());
    return new Promise((resolve) => waiting.push(resolve));
  };

  return {
    async invoke(run, ctx) {
      if (closed) throw new Error("the worker pool is closed");
      const lane = await acquire();
      await lane.ready;
      await new Promise<void>((resolve, reject) => {
        lane.job = { run, ctx, resolve, reject };
        ctx.started();
        lane.channel.send({
          t: "run",
          runId: run.runId,
          params: run.params,
          seed: run.seed,
          tags: run.tags,
          executionId: ctx.execution.executionId,
          experimentName: ctx.execution.experimentName,
        });
      });
    },
    abandon(run) {
      for (const lane of lanes) {
        if (lane.job?.run.runId !== run.runId) continue;
        lanes.delete(lane);
        lane.channel.kill();
      }
      serveWaiters();
    },
    async close() {
      closed = true;
      for (const lane of lanes) lane.channel.kill();
      lanes.clear();
    },
  };
}
