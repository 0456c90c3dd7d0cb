// The main job: a logistic-regression sweep (lr x l2, 3 seeds each) on a fixed-seed data set,
// logged into the embedded store (./labbook or $LABBOOK_STORE), then its results table and
// summary. Run it with `npm run example`. Run ids are deterministic (experiment, params, seed,
// context) and `ifExists: "replace"` is set, so running it again replaces the same 27 runs.
import { openStore, Results, type Run } from "labbook";
import { evaluate, FEATURES, predict, ringsData, train } from "./logreg.js";

const EXPERIMENT = "logreg-rings:1.0.0";
const LRS = [0.03, 0.3, 3];
const L2S = [0, 0.01, 0.1];
const SEEDS = [0, 1, 2];
const EPOCHS = 30;
const BATCH_SIZE = 32;

const started = performance.now();
const store = await openStore();
await store.ensureExperiment({
  name: "logreg-rings",
  version: "1.0.0",
  description: "Logistic regression with quadratic features on two noisy rings",
  metadata: { features: [...FEATURES], train: 600, test: 300, labelNoise: 0.05 },
  tags: ["example"],
});
// How row scores are read by aggregates and comparisons.
await store.defineMetric(EXPERIMENT, { name: "correct", kind: "range", threshold: { passWhen: true } });
await store.defineMetric(EXPERIMENT, { name: "prob", kind: "range", threshold: { min: 0.5 } });
await store.defineMetric(EXPERIMENT, {
  name: "confidence",
  kind: "rubric",
  categories: ["low", "medium", "high"],
  threshold: { passingCategories: ["high"] },
});

// The data set is generated from fixed seeds: the same points (and datapoint ids) every time.
const { testSet, scaler, trainX, trainY, testX, testY } = ringsData();

for (const lr of LRS) {
  for (const l2 of L2S) {
    for (const seed of SEEDS) {
      const run = await store.startRun({
        experiment: EXPERIMENT,
        params: { lr, l2, epochs: EPOCHS, batch_size: BATCH_SIZE, seed },
        seed,
        context: { dataset: "rings-v1" },
        tags: { model: "logreg", sweep: "lr-x-l2" },
        runId: "deterministic",
        ifExists: "replace",
      });
      try {
        const curve = new Float64Array(EPOCHS);
        const testLoss: number[] = [];
        const model = train(
          trainX,
          trainY,
          { lr, l2, epochs: EPOCHS, batchSize: BATCH_SIZE, seed },
          (epoch, m) => {
            curve[epoch - 1] = evaluate(m, trainX, trainY).loss;
            testLoss.push(evaluate(m, testX, testY).loss);
          },
        );
        // One stepped series per loss; the run summary keeps the last value.
        for (let epoch = 1; epoch <= EPOCHS; epoch++) {
          await run.logMetrics(
            { train_loss: curve[epoch - 1]!, test_loss: testLoss[epoch - 1]! },
            { step: epoch },
          );
        }
        const tr = evaluate(model, trainX, trainY);
        const te = evaluate(model, testX, testY);
        await run.logMetrics({ train_acc: tr.acc, test_acc: te.acc });
        await run.logRows(
          testSet.map((p, i) => {
            const p1 = predict(model, testX[i]!);
            const pTrue = p.label === 1 ? p1 : 1 - p1;
            const margin = Math.abs(p1 - 0.5);
            return {
              datapointId: p.id,
              item: { x: p.x, y: p.y, label: p.label },
              output: { p1, predicted: p1 >= 0.5 ? 1 : 0 },
              scores: {
                correct: (p1 >= 0.5 ? 1 : 0) === p.label ? 1 : 0,
                prob: pTrue,
                confidence: margin > 0.4 ? "high" : margin > 0.2 ? "medium" : "low",
              },
            };
          }),
        );
        await run.logArtifact("weights", { features: [...FEATURES], w: model.w, b: model.b, scaler });
        await run.logData("train_loss_curve", curve);
        await run.finish();
      } catch (e) {
        await run.fail(e);
        throw e;
      }
    }
  }
}
const logged = performance.now() - started;

const results = await Results.fromStore(store, { experiment: EXPERIMENT });
// Derived metrics, stored beside each run: the best test loss over the epochs and when it came.
await results.computeDerived(
  [
    async (run: Run) => {
      const { steps, values } = await run.series("test_loss");
      let best = 0;
      values.forEach((v, i) => {
        if (v < values[best]!) best = i;
      });
      return { best_test_loss: values[best] ?? null, best_epoch: steps[best] ?? null };
    },
  ],
  { overwrite: true },
);

results.display();
console.log("\nmean ± std over seeds:");
results.display({ groupBy: ["lr", "l2"], showSummary: false });

const summary = results.summary();
const best = results.successful.runs.sort((a, b) => (b.metrics.test_acc ?? 0) - (a.metrics.test_acc ?? 0))[0];
console.log(
  `\n${summary.total} runs (${summary.byStatus.success} success) logged in ${(logged / 1000).toFixed(2)} s into ${store.uri}`,
);
if (best) {
  console.log(
    `best: lr=${best.params.lr} l2=${best.params.l2} seed=${best.params.seed} test_acc=${best.metrics.test_acc} (run ${best.runId})`,
  );
}
await store.close();
