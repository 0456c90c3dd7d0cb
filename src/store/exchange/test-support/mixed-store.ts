import type { Store } from "../../types.js";

/**
 * Fills experiment `mix:1.0.0` through the public API with what an export has to carry: nested
 * params and lists, unicode, NaN and +-Infinity metrics and scores, a rubric score, rows,
 * artifacts (JSON and text), derived values, a failed run and a run with a 2^53-1 param.
 *
 * @example
 * await mixedStore(store);
 */
export async function mixedStore(store: Store): Promise<void> {
  await store.createExperiment({ name: "mix", version: "1.0.0" });
  const a = await store.startRun({
    experiment: "mix:1.0.0",
    name: "première",
    params: { lr: 0.1, model: { depth: 3, act: "relu" }, layers: [64, 32], label: "é 日本 🚀", epochs: 10 },
    seed: 1,
    startedAt: Date.UTC(2024, 0, 1),
  });
  await a.logMetrics({ acc: 0.9, loss: Number.NaN, gain: Number.POSITIVE_INFINITY });
  await a.logRows([
    {
      datapointId: "q1",
      item: { q: "2+2", meta: { lang: "en" } },
      output: "4",
      scores: { em: 1, f1: Number.NaN, judge: "good" },
    },
    { datapointId: "q2", item: { q: "ü" }, output: "5", scores: { em: 0, f1: Number.NEGATIVE_INFINITY } },
  ]);
  await a.logArtifact("config", { lr: 0.1 });
  await a.logArtifact("notes.txt", "hello ü");
  await a.finish({ finishedAt: Date.UTC(2024, 0, 1, 0, 1) });
  await store.setDerived(a.runId, { gap: 0.25, detail: { x: 1 } });
  const b = await store.startRun({
    experiment: "mix:1.0.0",
    params: { lr: 1, model: { depth: 4 }, epochs: 20 },
  });
  await b.logMetrics({ acc: Number.NEGATIVE_INFINITY });
  await b.fail(new Error("diverged"));
  const c = await store.startRun({
    experiment: "mix:1.0.0",
    params: { lr: 0.5, epochs: Number.MAX_SAFE_INTEGER },
  });
  await c.finish();
}
