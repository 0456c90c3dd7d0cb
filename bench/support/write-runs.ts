/**
 * `node --import tsx write-runs.ts STORE FROM COUNT [whole|batched]`: opens the store, prints
 * `ready`, waits for `go` on stdin, then logs runs FROM..FROM+COUNT-1 through the public API (5
 * params, 5 metrics, seeded by the run's number; `whole` adds 3 rows and an artifact, where
 * `$LABBOOK_ARTIFACTS` says), for the team benchmark; at the end, on PostgreSQL, prints `counts
 * {...}` (statements and round trips of its write transactions). `batched` logs the same whole
 * runs as a client that sends each run at once does: `prepareRun`, one `writeRun` with the run's
 * creation, metrics, rows and end, then `putArtifact` (one run at a time).
 */
import { openStore } from "../../src/index.js";
import { seeded } from "../util.js";

const [uri, fromText, countText, kind] = process.argv.slice(2);
const store = await openStore(uri!);
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
const from = Number(fromText);
for (let i = from; i < from + Number(countText); i++) {
  if (kind === "batched") {
    await batched(i);
    continue;
  }
  const rnd = seeded(i);
  const run = await store.startRun({
    experiment: "search",
    params: paramsOf(i, rnd),
  });
  await run.logMetrics({ acc: rnd(), loss: rnd(), f1: rnd(), precision: rnd(), recall: rnd() });
  if (kind === "whole") {
    await run.logRows([0, 1, 2].map((k) => ({ datapointId: `d${k}`, scores: { em: (i + k) % 2 } })));
    await run.logArtifact("note.txt", `run ${i}`);
  }
  await run.finish();
}
/** Run `i`'s params: the first draws of its seeded generator. */
function paramsOf(i: number, rnd: () => number) {
  return {
    lr: 10 ** -(1 + Math.floor(rnd() * 4)),
    model: rnd() < 0.5 ? "a" : "b",
    depth: 1 + Math.floor(rnd() * 8),
    dropout: rnd() / 2,
    i,
  };
}

/** Run `i` as one prepared run written whole, then its artifact. */
async function batched(i: number) {
  const rnd = seeded(i);
  const create = await store.prepareRun({
    experiment: "search",
    params: paramsOf(i, rnd),
  });
  const now = Date.now();
  const metrics = { acc: rnd(), loss: rnd(), f1: rnd(), precision: rnd(), recall: rnd() };
  await store.writeRun(create.runId, {
    create,
    metrics: Object.entries(metrics).map(([name, value]) => ({ name, value, step: null, timestamp: now })),
    rows: [0, 1, 2].map((k) => ({ datapointId: `d${k}`, scores: { em: (i + k) % 2 } })),
    end: { status: "success", finishedAt: now },
  });
  await store.putArtifact(create.runId, "note.txt", new TextEncoder().encode(`run ${i}`), {
    kind: "file",
    mediaType: "text/plain",
  });
}

// The write transactions' statements and round trips (PostgreSQL), read by the benchmark.
const counts = (store as { ctx?: { writeCounts?: object } }).ctx?.writeCounts;
if (counts) process.stdout.write(`counts ${JSON.stringify(counts)}\n`);
await store.close();
