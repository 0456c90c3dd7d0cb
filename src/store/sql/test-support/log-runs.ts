/**
 * Child process for the concurrency and crash tests:
 * `node --import tsx log-runs.ts STORE COUNT LABEL` (a folder or a store URI; artifacts where
 * `$LABBOOK_ARTIFACTS` says) logs COUNT whole runs (5 params, 5 metrics, 3 rows, 1 artifact)
 * and prints each finished run id on its own line.
 */
import { openStore } from "../../open-store.js";

const [uri, countText, label] = process.argv.slice(2);
const store = await openStore(uri!);
const count = Number(countText);
for (let i = 0; i < count; i++) {
  const run = await store.startRun({
    experiment: "concurrent",
    params: { label, i, lr: 0.001 * i, model: i % 2 ? "a" : "b", depth: i % 5 },
    tags: { writer: label! },
  });
  await run.logMetrics({ acc: i / count, loss: 1 - i / count, f1: 0.5, p: 0.25, r: 0.75 });
  await run.logRows([0, 1, 2].map((k) => ({ datapointId: `d${k}`, scores: { em: k % 2 } })));
  await run.logArtifact("note.txt", `run ${i} of ${label}`);
  await run.finish();
  process.stdout.write(`${run.runId}\n`);
}
await store.close();
