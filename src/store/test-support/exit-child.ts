/**
 * `node --import tsx exit-child.ts STORE_URI MODE`: starts a run, logs to it without awaiting
 * (a stepped metric, rows, an artifact, data, a tag, a last metric), prints `run <id>`, then
 * leaves without `finish()` as MODE says: `end` (the script just ends), `throw` (an uncaught
 * error), `reject` (an unhandled rejection), `exit` (`process.exit(3)`), `wait` (prints
 * `ready` and waits for a signal), or `handled` (the same, with its own SIGINT listener, which
 * exits with code 0 a moment later). Used by the exit tests.
 */
import { openStore } from "../open-store.js";
import "../remote/register.js";

const [uri, mode] = process.argv.slice(2);
const store = await openStore(uri, { apiKey: process.env.LABBOOK_API_KEY || undefined });
const run = await store.startRun({ experiment: "exit", params: { mode } });
process.stdout.write(`run ${run.runId}\n`);
void run.logMetric("loss", 0.5, { step: 1 });
void run.logMetric("loss", 0.25, { step: 2 });
void run.logRows([{ datapointId: "q1", scores: { ok: 1 } }]);
void run.logArtifact("note.json", { mode });
void run.logData("curve", [1, 2, 3]);
void run.setTags({ stage: "exit" });
void run.logMetric("last", 7);

switch (mode) {
  case "end":
    break;
  case "throw":
    throw new Error(`boom in ${mode}`);
  case "reject":
    void Promise.reject(new Error("rejected and not handled"));
    break;
  case "exit":
    process.exit(3);
    break;
  case "wait":
    setInterval(() => undefined, 1000);
    process.stdout.write("ready\n");
    break;
  case "handled":
    process.once("SIGINT", () => setTimeout(() => process.exit(0), 50));
    setInterval(() => undefined, 1000);
    process.stdout.write("ready\n");
    break;
  default:
    throw new Error(`unknown mode ${mode}`);
}
