import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { LocalBlobStore } from "../artifacts/local.js";
import type { ArtifactBlobStore } from "../artifacts/types.js";
import { blobExportTarget, blobSink } from "./blob-target.js";

const dir = mkdtempSync(join(tmpdir(), "labbook-blob-target-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A folder blob store whose uploads take their bytes slowly, counting what they have taken. */
function slowStore(root: string): { blobs: ArtifactBlobStore; taken: () => number } {
  const inner = new LocalBlobStore(root);
  let taken = 0;
  const blobs = Object.create(inner) as ArtifactBlobStore;
  blobs.put = (key, source) => {
    async function* slow() {
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        await sleep(2);
        taken += chunk.byteLength;
        yield chunk;
      }
    }
    return inner.put(key, slow());
  };
  return { blobs, taken: () => taken };
}

describe("blobSink: a file streamed into a blob store", () => {
  it("a write waits for the upload: the writer is never more than its write and 64 KiB ahead", async () => {
    const { blobs, taken } = slowStore(join(dir, "slow"));
    const sink = blobSink(blobs, "a/file.bin");
    const write = 256 * 1024;
    const want = createHash("sha256");
    let written = 0;
    let ahead = 0;
    for (let i = 0; i < 40; i++) {
      const bytes = Buffer.alloc(write, i);
      want.update(bytes);
      await sink.write(bytes);
      written += write;
      ahead = Math.max(ahead, written - taken());
    }
    await sink.close();
    expect(written).toBe(10 * 1024 * 1024);
    expect(ahead).toBeLessThanOrEqual(write + 64 * 1024);
    const back = await new LocalBlobStore(join(dir, "slow")).read("a/file.bin");
    expect(createHash("sha256").update(back).digest("hex")).toBe(want.digest("hex"));
  });

  it("abort leaves nothing under the key; an upload that fails fails the next write or the close", async () => {
    const root = join(dir, "abort");
    const blobs = new LocalBlobStore(root);
    const sink = blobSink(blobs, "x/part.bin");
    await sink.write(Buffer.alloc(1024 * 1024, 1));
    await sink.abort();
    expect(await blobs.exists("x/part.bin")).toBe(false);
    const bad = blobSink(blobs, "../outside.bin");
    await expect(
      (async () => {
        await bad.write(Buffer.alloc(1024 * 1024));
        await bad.close();
      })(),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("a blob store as an export target: put, list (sorted), read and URIs", async () => {
    const blobs = new LocalBlobStore(join(dir, "target"));
    const target = blobExportTarget(blobs, "mem://x", (k) => `mem://x/${k}`);
    await target.put("e/v1.0.0/s/b.pq", Buffer.from("b"));
    const sink = await target.sink("e/v1.0.0/s/a.pq");
    await sink.write(Buffer.from("a"));
    await sink.close();
    expect(await target.list("e/")).toEqual(["e/v1.0.0/s/a.pq", "e/v1.0.0/s/b.pq"]);
    expect(Buffer.from(await target.read("e/v1.0.0/s/a.pq")).toString()).toBe("a");
    expect(target.uri("e/k")).toBe("mem://x/e/k");
  });
});
