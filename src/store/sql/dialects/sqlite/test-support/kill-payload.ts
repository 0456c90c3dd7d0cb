/**
 * What the kill suite's child logs for its run `k`, computed the same way by the child and by
 * the test that checks the run is whole: metrics, rows and a streamed artifact of 1-3 MB.
 */
import { createHash } from "node:crypto";
import type { RowInput } from "../../../../../core/types.js";
import { createRng } from "../../../../../stats/prng.js";

const CHUNK = 64 * 1024;

/** The run's expected contents. */
export function payload(label: string, k: number) {
  const seed = [...`${label}/${k}`].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 7);
  const rnd = createRng(seed);
  const size = Math.floor((1 + 2 * rnd()) * 1024 * 1024);
  const block = Buffer.alloc(CHUNK);
  for (let i = 0; i < CHUNK; i += 4) block.writeUInt32LE((rnd() * 2 ** 32) >>> 0, i);
  const rows: RowInput[] = Array.from({ length: 100 }, (_, i) => ({
    datapointId: `d${i}`,
    item: { q: `question ${i} of ${k}` },
    output: { a: `answer ${i}` },
    scores: { em: (i + k) % 2, f1: rnd() },
  }));
  const loss = [0.9, 0.7, 0.5, 0.4, 0.35].map((v) => v + k / 1000);
  return { size, rows, loss, acc: k / 1000, note: { label, k } };
}

/** The artifact's bytes, in 64 kB chunks (each chunk's first 4 bytes are its index). */
export function* blobChunks(label: string, k: number): Generator<Uint8Array> {
  const { size } = payload(label, k);
  const seed = [...`${label}/${k}`].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 7);
  const rnd = createRng(seed);
  rnd(); // the size
  const block = Buffer.alloc(CHUNK);
  for (let i = 0; i < CHUNK; i += 4) block.writeUInt32LE((rnd() * 2 ** 32) >>> 0, i);
  for (let at = 0, n = 0; at < size; at += CHUNK, n++) {
    const chunk = Buffer.from(block.subarray(0, Math.min(CHUNK, size - at)));
    chunk.writeUInt32LE(n, 0);
    yield chunk;
  }
}

/** `sha256:<hex>` of the artifact. */
export function blobDigest(label: string, k: number): string {
  const h = createHash("sha256");
  for (const c of blobChunks(label, k)) h.update(c);
  return `sha256:${h.digest("hex")}`;
}
