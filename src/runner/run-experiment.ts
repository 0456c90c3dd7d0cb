import { hostname } from "node:os";
import { invalid } from "../core/errors.js";
import { checkKeys, type KnownKeys } from "../core/known-keys.js";
import { Results } from "../results/results.js";
import type { ExecutionManifest, ExecutionRecord } from "../store/execution-methods.js";
import { keepAlive, stopBeating } from "../store/heartbeat.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/types.js";
import { ConfigStream } from "./config-stream.js";
import { executeRun, type RunInvoker } from "./execute-run.js";
import { executionHandle } from "./execution.js";
import { replaceable, settleHeld } from "./held.js";
import { SchemaBuilder } from "./infer-schema.js";
import { markStored, type PlannedRun, planRuns } from "./plan.js";
import { runPool } from "./pool.js";
import { SweepTracker } from "./progress.js";
import { onSigint } from "./signals.js";
import type { Experiment, RunExperimentOptions } from "./types.js";
import { resolveVersion } from "./version.js";
import { workerInvoker } from "./workers/invoker.js";

/** What a launch did, beside its {@link Results}. */
export interface SweepReport {
  results: Results;
  execution: ExecutionRecord;
  counts: ExecutionManifest["counts"];
  /** True when SIGINT or `signal` stopped it before every run was done. */
  interrupted: boolean;
}

const OPTION_KEYS = {
  store: true,
  concurrency: true,
  resume: true,
  rerunFailed: true,
  timeoutMs: true,
  progress: true,
  signal: true,
  workers: true,
  handleSigint: true,
} as const satisfies KnownKeys<RunExperimentOptions>;

function checkOptions(o: RunExperimentOptions): { concurrency: number } {
  if (o === null || typeof o !== "object") throw invalid("options", "must be an object of options", o);
  checkKeys(o, OPTION_KEYS, "runExperiment");
  const concurrency = o.concurrency ?? 1;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw invalid("concurrency", "must be a whole number >= 1", concurrency);
  }
  if (o.timeoutMs !== undefined && !(typeof o.timeoutMs === "number" && o.timeoutMs > 0)) {
    throw invalid("timeoutMs", "must be a number of milliseconds > 0", o.timeoutMs);
  }
  if (o.workers !== undefined && o.workers !== "threads" && o.workers !== "processes") {
    throw invalid("workers", 'must be "threads" or "processes"', o.workers);
  }
  return { concurrency };
}

function inProcess(experiment: Experiment): RunInvoker {
  return {
    invoke: async (run, ctx) => {
      ctx.started();
      return experiment.run({
        params: run.params,
        seed: run.seed,
        capture: ctx.capture,
        signal: ctx.signal,
        runId: run.runId,
        tags: run.tags,
        execution: ctx.execution,
      });
    },
    close: async () => undefined,
  };
}

/**
 * Runs an experiment's sweep and returns its {@link Results} with what the launch did: see
 * {@link runExperiment}, which returns only the results.
 *
 * @example
 * const { results, execution, counts } = await executeExperiment(experiment, { store, concurrency: 4 });
 */
export async function executeExperiment<P>(
  definition: Experiment<P>,
  options: RunExperimentOptions = {},
): Promise<SweepReport> {
  const experiment = definition as unknown as Experiment;
  const { concurrency } = checkOptions(options);
  const store: Store = options.store ?? (await openStore());
  try {
    return await sweep(experiment, options, store, concurrency);
  } catch (e) {
    // A store opened here stays open for the results, unless the launch failed.
    if (!options.store) await store.close().catch(() => undefined);
    throw e;
  }
}

async function sweep(
  experiment: Experiment,
  options: RunExperimentOptions,
  store: Store,
  concurrency: number,
): Promise<SweepReport> {
  const resume = options.resume === true || options.rerunFailed === true;
  const version = await resolveVersion(store, experiment, { resume });
  const experimentId = `${experiment.name}:${version}`;
  const planned = planRuns(experiment, experimentId);
  await store.ensureExperiment({
    name: experiment.name,
    version,
    ...(experiment.description === undefined ? {} : { description: experiment.description }),
    ...(experiment.metadata === undefined ? {} : { metadata: experiment.metadata }),
    ...(experiment.tags === undefined ? {} : { tags: experiment.tags }),
  });
  await markStored(store, planned, { resume, rerunFailed: options.rerunFailed === true, experimentId });
  const invoker = options.workers
    ? workerInvoker(experiment, options.workers, concurrency)
    : inProcess(experiment);
  const execution = await store.createExecution({ experiment: experimentId });
  // Alive while this process runs the sweep: killed, it reads crashed after the heartbeat timeout.
  const alive = { execution: { name: experiment.name, executionId: execution.executionId } };
  await store.heartbeat({ executions: [alive.execution] }).catch(() => undefined); // best effort
  keepAlive(store, alive);
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal?.addEventListener("abort", abort, { once: true });
  if (options.signal?.aborted) abort();
  const release = options.handleSigint === false ? () => undefined : onSigint(abort);
  const tracker = new SweepTracker(experimentId, options.progress);
  const paramsSchema = new SchemaBuilder();
  const outputs = new SchemaBuilder();
  const stream = new ConfigStream(store, experiment.name, execution.executionId);
  const ctx = {
    store,
    experimentId,
    context: experiment.context,
    executionId: execution.executionId,
    execution: executionHandle(store, experiment.name, execution.executionId),
    invoker,
    timeoutMs: options.timeoutMs,
    signal: controller.signal,
    outputs,
    replaceIf: replaceable(options.rerunFailed === true),
  };
  tracker.total = planned.length;
  const toRun: PlannedRun[] = [];
  for (const p of planned) {
    paramsSchema.observe(p.params);
    if (p.run) toRun.push(p);
    else {
      tracker.skipped++;
      stream.submit(p);
    }
  }
  tracker.toRun = toRun.length;
  const counts: ExecutionManifest["counts"] = {
    pending: 0,
    running: 0,
    success: 0,
    failed: 0,
    cancelled: 0,
    crashed: 0,
    skipped: tracker.skipped,
    total: planned.length,
  };
  let failure: unknown = null;
  /** Runs another process had when this one tried to claim them: settled at the end. */
  const held = new Map<string, PlannedRun>();
  const submitted = new Set<string>();
  const runOne = async (run: PlannedRun) => {
    if (!submitted.has(run.runId)) stream.submit(run);
    submitted.add(run.runId);
    tracker.running++;
    tracker.update();
    let outcome: Awaited<ReturnType<typeof executeRun>>;
    try {
      outcome = await executeRun(ctx, run);
    } finally {
      tracker.running--;
    }
    if (outcome === "held") held.set(run.runId, run);
    else counts[outcome]++;
    if (outcome === "success") tracker.done++;
    else if (outcome === "failed") tracker.failed++;
    else if (outcome === "cancelled") tracker.cancelled++;
    tracker.update();
  };
  const skip = () => {
    counts.skipped++;
    tracker.skipped++;
    tracker.update();
  };
  try {
    await runPool(toRun, concurrency, controller.signal, runOne, abort);
    // Runs claimed by another process: wait for their end there, or rerun them here if it crashed.
    await settleHeld(
      store,
      held,
      controller.signal,
      (runs) => runPool(runs, concurrency, controller.signal, runOne, abort),
      skip,
    );
  } catch (e) {
    failure = e;
  } finally {
    release();
    options.signal?.removeEventListener("abort", abort);
    tracker.update(true);
    await invoker.close().catch(() => undefined);
  }
  await stream.close().catch((e) => {
    failure ??= e;
  });
  stopBeating(store, alive);
  const interrupted = controller.signal.aborted;
  const finishedAt = Date.now();
  const manifest: ExecutionManifest = {
    experimentId,
    name: experiment.name,
    version,
    executionId: execution.executionId,
    startedAt: execution.startedAt,
    finishedAt: new Date(finishedAt).toISOString(),
    counts,
    paramsSchema: experiment.schema?.params ?? paramsSchema.schema(),
    outputsSchema: experiment.schema?.outputs ?? outputs.schema(),
    runner: {
      concurrency,
      workers: options.workers ?? "in-process",
      timeoutMs: options.timeoutMs ?? null,
      resume,
      rerunFailed: options.rerunFailed === true,
      host: hostname(),
      node: process.version,
    },
  };
  const record = await store.updateExecution(experiment.name, execution.executionId, {
    status: interrupted || failure ? "interrupted" : "finished",
    finishedAt,
    manifest,
  });
  if (failure) throw failure;
  const results = new Results(store, await sweepRecords(store, experimentId, planned));
  return { results, execution: record, counts, interrupted };
}

async function sweepRecords(store: Store, experimentId: string, planned: PlannedRun[]) {
  const order = new Map(planned.map((p, i) => [p.runId, i]));
  const records = (await store.listRuns({ experiment: experimentId })).filter((r) => order.has(r.runId));
  return records.sort((a, b) => order.get(a.runId)! - order.get(b.runId)!);
}

/**
 * Runs an experiment's sweep: every config x seed, up to `concurrency` at once, each run
 * under its deterministic id. A run that throws is `failed` (its error kept) and the others
 * go on; past `timeoutMs` a run is `failed` with a `TIMEOUT` error. SIGINT (or `signal`)
 * cancels the runs in flight (`cancelled`), starts no more and returns (exit code 130 after
 * SIGINT); relaunch with `resume: true` to run the rest. Returns the {@link Results} of the
 * sweep's runs, in sweep order (those run now and those found done).
 *
 * @example
 * const results = await runExperiment(experiment, { concurrency: 4, resume: true });
 * results.display();
 */
export async function runExperiment<P>(
  experiment: Experiment<P>,
  options: RunExperimentOptions = {},
): Promise<Results> {
  return (await executeExperiment(experiment, options)).results;
}
