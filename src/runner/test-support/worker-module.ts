/** An experiment for the worker tests: each run records where it ran; run 3 throws; run 4 spins forever. */
import { threadId } from "node:worker_threads";
import { defineExperiment } from "../define.js";
import { isRunnerWorker } from "../workers/spawn.js";

export const inWorkers = defineExperiment({
  name: "in-workers",
  params: { i: [0, 1, 2, 3, 4, 5] },
  module: import.meta.url,
  exportName: "inWorkers",
  run: async ({ params, capture, execution }) => {
    const i = params.i as number;
    await capture.data("where", { pid: process.pid, threadId, worker: isRunnerWorker() });
    await capture.metric("square", i * i, { step: 0 });
    await capture.row({ datapointId: `d${i}`, scores: { ok: true } });
    capture.log(`run ${i}`);
    if (i === 0) await execution.save({ from: "worker", bytes: new Uint8Array([1, 2]) }, "from-worker");
    if (i === 3) throw new RangeError("three fails");
    if (i === 4) for (;;) {} // only a worker can be stopped: the timeout terminates it
  },
});
