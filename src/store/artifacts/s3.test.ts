import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { describeDialects, useTempStores } from "../sql/test-support/temp-store.js";
import { S3BlobStore } from "./s3.js";
import { useTestS3 } from "./test-support/s3-server.js";

const s3 = useTestS3();
let prefixes = 0;
const fresh = () => S3BlobStore.fromUri(s3.uri(`t${++prefixes}`));

async function collect(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const c of stream) parts.push(c);
  return Buffer.concat(parts).toString();
}

describe("S3 blob store (s3rver on loopback)", () => {
  it("puts, reads, streams, lists and deletes objects under its prefix", async () => {
    const blobs = fresh();
    const put = await blobs.put("run-1/a.txt", Buffer.from("hello"));
    expect(put).toEqual({
      size: 5,
      digest: `sha256:${createHash("sha256").update("hello").digest("hex")}`,
    });
    async function* parts() {
      yield Buffer.from("wor");
      yield Buffer.from("ld");
    }
    await blobs.put("run-1/sub/b.txt", parts());
    await blobs.put("run-2/c.txt", Buffer.from("other run"));
    expect(Buffer.from(await blobs.read("run-1/a.txt")).toString()).toBe("hello");
    expect(await collect(blobs.open("run-1/sub/b.txt"))).toBe("world");
    expect(await blobs.exists("run-1/a.txt")).toBe(true);
    expect(await blobs.exists("run-1/none")).toBe(false);
    const listed: string[] = [];
    for await (const o of blobs.list("run-1/")) listed.push(`${o.key}:${o.size}`);
    expect(listed).toEqual(["run-1/a.txt:5", "run-1/sub/b.txt:5"]);
    await blobs.deletePrefix("run-1");
    expect(await blobs.exists("run-1/a.txt")).toBe(false);
    expect(await blobs.exists("run-1/sub/b.txt")).toBe(false);
    expect(await blobs.exists("run-2/c.txt")).toBe(true);
    await expect(blobs.read("run-1/a.txt")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(blobs.put("../x", Buffer.from("x"))).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("a 200 MB artifact goes up and comes back streamed: RSS grows < 50 MB, size and SHA-256 checked", async () => {
    const blobs = fresh();
    const MiB = 1024 * 1024;
    const total = 200 * MiB;
    const expected = createHash("sha256");
    async function* source() {
      for (let i = 0; i < total / MiB; i++) {
        const chunk = Buffer.alloc(MiB, i % 251);
        chunk.writeUInt32LE(i, 0);
        expected.update(chunk);
        yield chunk;
      }
    }
    // A first multipart transfer loads the SDK's code and opens its connections: not the growth
    // measured here.
    async function* warm() {
      for (let i = 0; i < 12; i++) yield Buffer.alloc(MiB, i);
    }
    await blobs.put("warm/up.bin", warm());
    for await (const _ of blobs.open("warm/up.bin"));
    const base = process.memoryUsage().rss;
    let peak = base;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    try {
      const put = await blobs.put("big/model.bin", source());
      const want = `sha256:${expected.digest("hex")}`;
      expect(put).toEqual({ size: total, digest: want });
      const back = createHash("sha256");
      let size = 0;
      for await (const c of blobs.open("big/model.bin")) {
        back.update(c);
        size += c.byteLength;
      }
      expect(size).toBe(total);
      expect(`sha256:${back.digest("hex")}`).toBe(want);
    } finally {
      clearInterval(timer);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect((peak - base) / MiB).toBeLessThan(50);
  }, 300_000);
});

describeDialects("a SQL store with artifacts in S3", (dialect) => {
  const open = useTempStores("s3art", dialect);

  it("artifacts go to the bucket under the run's folder; replacing or deleting a run deletes its objects", async () => {
    const uri = s3.uri(`store${++prefixes}`);
    const { store } = await open({ artifacts: uri });
    const blobs = S3BlobStore.fromUri(uri);
    const keys = async () => {
      const out: string[] = [];
      for await (const o of blobs.list("")) out.push(o.key);
      return out;
    };
    const run = await store.startRun({ experiment: "s3", runId: "r1" });
    const d = await run.logArtifact("weights.bin", new Uint8Array([1, 2, 3]));
    await run.logArtifact("notes.txt", "kept in the bucket");
    await run.finish();
    expect(d).toMatchObject({ size: 3, digest: expect.stringMatching(/^sha256:/) });
    expect(Buffer.from((await store.getArtifact("r1", "notes.txt")).bytes).toString()).toBe(
      "kept in the bucket",
    );
    const opened = await store.openArtifact("r1", "weights.bin");
    expect([...Buffer.from(await collect(opened.stream), "binary")]).toHaveLength(3);
    expect(await keys()).toHaveLength(2);
    expect((await keys()).every((k) => k.startsWith("r1-"))).toBe(true);

    const again = await store.startRun({ experiment: "s3", runId: "r1", ifExists: "replace" });
    await again.logArtifact("new.txt", "replacement");
    await again.finish();
    const afterReplace = await keys();
    expect(afterReplace).toHaveLength(1);
    expect(afterReplace[0]).toMatch(/\/new\.txt$/);

    await store.deleteRun("r1");
    expect(await keys()).toEqual([]);
  });
});
