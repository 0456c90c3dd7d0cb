/**
 * `node --import tsx sweep-child.ts STORE [CONCURRENCY] [WORKERS]` (a folder or a store URI;
 * artifacts where `$LABBOOK_ARTIFACTS` says): runs the sweep of
 * sweep-module.ts with resume, printing `progress <done> <running>` lines as runs end and
 * `report <json>` at the end. Used by the crash, SIGINT and merge tests.
 */
import { openStore } from "../../store/open-store.js";
import { executeExperiment } from "../run-experiment.js";
import experiment from "./sweep-module.js";

const [dir, concurrency, workers] = process.argv.slice(2);
const store = await openStore(dir!);
const report = await executeExperiment(experiment, {
  store,
  resume: true,
  concurrency: Number(concurrency ?? 2),
  ...(workers ? { workers: workers as "threads" | "processes" } : {}),
  progress: (p) => process.stdout.write(`progress ${p.done + p.failed + p.cancelled} ${p.running}\n`),
});
if (process.env.SWEEP_DERIVED) {
  const first = report.results.at(0);
  if (first) await store.setDerived(first.runId, { final_loss: 0.25 });
}
process.stdout.write(
  `report ${JSON.stringify({ counts: report.counts, interrupted: report.interrupted, executionId: report.execution.executionId })}\n`,
);
await store.close();
