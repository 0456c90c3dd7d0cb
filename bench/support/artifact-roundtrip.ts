/**
 * `node --import tsx artifact-roundtrip.ts STORE ARTIFACTS FILE`: opens the store with its
 * artifacts where ARTIFACTS says, logs FILE as an artifact of a new run through the public API
 * (`logArtifact(name, { path })`), reads it back through `openArtifact` with its SHA-256, and
 * prints one JSON line: the times and the process's RSS before (after a 12 MB warm-up transfer,
 * which loads the SDK and opens its connections) and at its peak during each transfer.
 */
import { createHash } from "node:crypto";
import { openStore } from "../../src/index.js";

const [uri, artifacts, file] = process.argv.slice(2);
const store = await openStore(uri!, { artifacts: artifacts! });
const run = await store.startRun({ experiment: "artifacts" });
await run.logArtifact("warm.bin", new Uint8Array(12 * 2 ** 20).fill(7));
for await (const _ of (await store.openArtifact(run.runId, "warm.bin")).stream);
globalThis.gc?.();
const base = process.memoryUsage().rss;
let peak = base;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10);
const t0 = performance.now();
const put = await run.logArtifact("big.bin", { path: file! });
const putMs = performance.now() - t0;
const peakPut = Math.max(peak, process.memoryUsage().rss);
peak = base;
const t1 = performance.now();
const hash = createHash("sha256");
let size = 0;
for await (const c of (await store.openArtifact(run.runId, "big.bin")).stream) {
  hash.update(c);
  size += c.byteLength;
}
const getMs = performance.now() - t1;
const peakGet = Math.max(peak, process.memoryUsage().rss);
clearInterval(timer);
await run.finish();
await store.close();
const digest = `sha256:${hash.digest("hex")}`;
if (size !== put.size || digest !== put.digest)
  throw new Error(`read back ${size} bytes, ${digest}; stored ${put.size}, ${put.digest}`);
process.stdout.write(`${JSON.stringify({ size, putMs, getMs, base, peakPut, peakGet })}\n`);
