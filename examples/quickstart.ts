// The README's library example: log two runs by hand, then read them back as Results.
// Run: node --conditions=labbook-source --import tsx examples/quickstart.ts  (writes into ./labbook or $LABBOOK_STORE)
import { openStore, Results } from "labbook";

const store = await openStore(); // ./labbook, or $LABBOOK_STORE

for (const lr of [0.1, 0.01]) {
  const run = await store.startRun({
    experiment: "quickstart",
    params: { lr, model: { depth: 2 } },
    seed: 0,
  });
  for (let step = 1; step <= 3; step++) await run.logMetrics({ loss: lr / step }, { step });
  await run.logMetrics({ acc: 0.9 - lr });
  await run.logRows([
    { datapointId: "q1", output: "4", scores: { correct: 1 } },
    { datapointId: "q2", output: "7", scores: { correct: lr < 0.05 ? 1 : 0 } },
  ]);
  await run.logArtifact("config", { lr, note: "any JSON value" });
  await run.finish();
}

const results = await Results.fromStore(store, { experiment: "quickstart" });
console.log(results.length, results.at(-1)?.metrics.acc); // newest run last
console.table(results.filter({ params: { lr: 0.01 } }).table());
console.log(results.summary().metrics.acc); // { count, nanCount, mean, std, min, max }
results.display({ groupBy: "lr" });
console.log(await results.at(0)?.artifact("config")); // { lr: 0.1, note: 'any JSON value' }
console.log(await results.toCsv("./exports/")); // ./exports/results_YYYYMMDD_HHMMSS.csv
await store.close();
