/**
 * Child process of the kill suite: `node kill-child.mjs DIR LABEL [COUNT]` waits for a line on
 * stdin (so it can be started ahead of time), opens the store, prints `ready`, then logs runs
 * (5 stepped losses, an accuracy, 100 rows, a streamed artifact of 1-3 MB, a small JSON one),
 * printing `start <runId> <k>` once a run is written and `done <runId> <k>` once it finished;
 * forever (until killed), or COUNT runs and exit.
 */
import { once } from "node:events";
import { openSqliteStore } from "../open.js";
import { blobChunks, payload } from "./kill-payload.js";

/** The artifact as a stream of 64 kB chunks (a kill may land mid-write). */
async function* streamed(label: string, k: number): AsyncGenerator<Uint8Array> {
  yield* blobChunks(label, k);
}

const [dir, label, count] = process.argv.slice(2) as [string, string, string | undefined];
process.stdin.setEncoding("utf8");
await once(process.stdin, "data");
process.stdin.pause();
const store = await openSqliteStore(dir);
process.stdout.write("ready\n");
const limit = count === undefined ? Number.POSITIVE_INFINITY : Number(count);
for (let k = 0; k < limit; k++) {
  const p = payload(label, k);
  const run = await store.startRun({ experiment: "kill", params: { label, k }, tags: { writer: label } });
  await run.flush();
  process.stdout.write(`start ${run.runId} ${k}\n`);
  for (const [step, v] of p.loss.entries()) await run.logMetric("loss", v, { step });
  await run.logMetrics({ acc: p.acc });
  await run.logRows(p.rows);
  await store.putArtifact(run.runId, "blob.bin", streamed(label, k), {
    kind: "bytes",
    mediaType: "application/octet-stream",
  });
  await run.logArtifact("note", p.note);
  await run.finish();
  process.stdout.write(`done ${run.runId} ${k}\n`);
}
await store.close();
