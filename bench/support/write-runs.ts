/**
 * `node --import tsx write-runs.ts STORE FROM COUNT [whole]`: opens the store, prints `ready`,
 * waits for `go` on stdin, then logs runs FROM..FROM+COUNT-1 through the public API (5 params,
 * 5 metrics, seeded by the run's number; `whole` adds 3 rows and an artifact, where
 * `$LABBOOK_ARTIFACTS` says), for the team benchmark; at the end, on PostgreSQL, prints `counts
 * {...}` (statements and round trips of its write transactions).
 */
import { openStore } from "../../src/index.js";
import { seeded } from "../util.js";

const [uri, fromText, countText, kind] = process.argv.slice(2);
const store = await openStore(uri!);
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
const from = Number(fromText);
for (let i = from; i < from + Number(countText); i++) {
  const rnd = seeded(i);
  const run = await store.startRun({
    experiment: "search",
    params: {
      lr: 10 ** -(1 + Math.floor(rnd() * 4)),
      model: rnd() < 0.5 ? "a" : "b",
      depth: 1 + Math.floor(rnd() * 8),
      dropout: rnd() / 2,
      i,
    },
  });
  await run.logMetrics({ acc: rnd(), loss: rnd(), f1: rnd(), precision: rnd(), recall: rnd() });
  if (kind === "whole") {
    await run.logRows([0, 1, 2].map((k) => ({ datapointId: `d${k}`, scores: { em: (i + k) % 2 } })));
    await run.logArtifact("note.txt", `run ${i}`);
  }
  await run.finish();
}
// The write transactions' statements and round trips (PostgreSQL), read by the benchmark.
const counts = (store as { ctx?: { writeCounts?: object } }).ctx?.writeCounts;
if (counts) process.stdout.write(`counts ${JSON.stringify(counts)}\n`);
await store.close();
