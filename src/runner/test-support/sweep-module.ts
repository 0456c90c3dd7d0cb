/**
 * An experiment module for the child-process, worker and CLI tests. Its size and pace come
 * from the environment: SWEEP_FROM..SWEEP_TO (param `i`), SWEEP_DELAY_MS per run,
 * SWEEP_FAIL_EVERY (every Nth run throws), SWEEP_LOG (a file: `<i> <pid> start|end` lines as
 * each run's function starts and returns).
 */
import { appendFileSync } from "node:fs";
import { defineExperiment } from "../define.js";
import { tag } from "../tag.js";

const from = Number(process.env.SWEEP_FROM ?? 0);
const to = Number(process.env.SWEEP_TO ?? 200);
const delay = Number(process.env.SWEEP_DELAY_MS ?? 0);
const failEvery = Number(process.env.SWEEP_FAIL_EVERY ?? 0);
const log = (i: number, what: string) => {
  if (process.env.SWEEP_LOG) appendFileSync(process.env.SWEEP_LOG, `${i} ${process.pid} ${what}\n`);
};
const shared = { name: "shared-model", dims: [8, 8] };

export default defineExperiment({
  name: process.env.SWEEP_NAME ?? "sweep",
  version: "1.0.0",
  params: Array.from({ length: to - from }, (_, k) => ({
    i: from + k,
    model: shared,
    group: tag((from + k) % 3),
  })),
  module: import.meta.url,
  run: async ({ params, seed, capture, signal }) => {
    const i = params.i as number;
    log(i, "start");
    if (delay > 0) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, delay);
        signal.addEventListener("abort", () => {
          clearTimeout(t);
          reject(signal.reason);
        });
      });
    }
    if (failEvery > 0 && i % failEvery === failEvery - 1) throw new RangeError(`run ${i} fails on purpose`);
    for (let step = 0; step < 3; step++) await capture.metric("loss", 1 / (i + step + 1), { step });
    await capture.metrics({ acc: i / 1000, seed });
    await capture.rows([
      { datapointId: "a", scores: { em: i % 2 } },
      { datapointId: "b", scores: { em: 1, label: "ok" } },
    ]);
    await capture.artifact("note.txt", `run ${i}`);
    await capture.data("vec", new Float64Array([i, i + 0.5]));
    capture.log(`run ${i} on ${process.pid}`);
    log(i, "end");
    return { pid: process.pid };
  },
});
