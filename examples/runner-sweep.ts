// The logistic-regression sweep of sweep.ts, written for the runner: a module whose default
// export is the experiment. Run it with
//   npx labbook run examples/runner-sweep.ts --concurrency 2
// (after npm ci, which builds the CLI and links it for npx); Ctrl-C cancels the runs in flight and
// `--resume` finishes the rest. The two optimiser settings share one object: loadExecution gives
// it back as one object.
import { defineExperiment, type RunContext, tag } from "labbook";
import { evaluate, predict, ringsData, train } from "./logreg.js";

const { testSet, trainX, trainY, testX, testY } = ringsData();

const optimiser = { epochs: 30, batchSize: 32 };

interface Params {
  lr: number;
  l2: number;
  optimiser: typeof optimiser;
}

export default defineExperiment({
  name: "logreg-runner",
  version: "1.0.0",
  description: "Logistic regression on two noisy rings, run by the runner",
  params: { lr: tag([0.03, 0.3, 3]), l2: tag([0, 0.01, 0.1]), optimiser: [optimiser] },
  seeds: 3,
  context: { dataset: "rings-v1" },
  tags: ["example"],
  module: import.meta.url,
  run: async ({ params, seed, capture, signal }: RunContext<Params>) => {
    const { epochs, batchSize } = params.optimiser;
    const model = train(
      trainX,
      trainY,
      { lr: params.lr, l2: params.l2, epochs, batchSize, seed },
      (epoch, m) => {
        signal.throwIfAborted();
        void capture.metrics(
          { train_loss: evaluate(m, trainX, trainY).loss, test_loss: evaluate(m, testX, testY).loss },
          { step: epoch },
        );
      },
    );
    await capture.metrics({ test_acc: evaluate(model, testX, testY).acc });
    await capture.rows(
      testSet.map((p, i) => {
        const p1 = predict(model, testX[i]!);
        return { datapointId: p.id, output: { p1 }, scores: { correct: (p1 >= 0.5 ? 1 : 0) === p.label } };
      }),
    );
    capture.log(`lr=${params.lr} l2=${params.l2} seed=${seed}: done`);
  },
});
