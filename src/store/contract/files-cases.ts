import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { encodeJson } from "../../core/codec.js";
import type { Store } from "../types.js";
import { contractCase, expectError } from "./helpers.js";
import type { ContractContext } from "./suite.js";

export function fileCases(ctx: ContractContext): void {
  describe("artifacts and data", () => {
    contractCase(ctx, "artifacts of each kind with size, media type and digest", async (store) => {
      const run = await store.startRun({ experiment: "f" });
      const json = await run.logArtifact("config.json", { a: [1, Number.NaN] });
      expect(json).toMatchObject({ name: "config.json", kind: "json", mediaType: "application/json" });
      await run.logArtifact("notes.txt", "héllo");
      const bytes = new Uint8Array([0, 1, 2, 255]);
      const b = await run.logArtifact("weights.bin", bytes);
      expect(b).toMatchObject({
        kind: "bytes",
        size: 4,
        digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}`,
      });
      const dir = mkdtempSync(join(tmpdir(), "labbook-art-"));
      const file = join(dir, "plot.png");
      writeFileSync(file, Buffer.alloc(70_000, 7));
      const f = await run.logArtifact("plot.png", { path: file });
      expect(f).toMatchObject({ kind: "file", mediaType: "image/png", size: 70_000 });
      await run.finish();
      const list = await store.listArtifacts(run.runId);
      expect(list.map((a) => a.name)).toEqual(["config.json", "notes.txt", "plot.png", "weights.bin"]);
      expect(Buffer.from((await store.getArtifact(run.runId, "notes.txt")).bytes).toString()).toBe("héllo");
      expect([...(await store.getArtifact(run.runId, "weights.bin")).bytes]).toEqual([0, 1, 2, 255]);
      const opened = await store.openArtifact(run.runId, "plot.png");
      let n = 0;
      for await (const c of opened.stream) n += c.byteLength;
      expect(n).toBe(70_000);
      expect(opened.descriptor.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      await expectError(store.getArtifact(run.runId, "missing.txt"), "NOT_FOUND", /missing\.txt/);
    });

    contractCase(ctx, "every artifact kind round-trips byte for byte", async (store) => {
      const run = await store.startRun({ experiment: "f" });
      const value = { a: [1, Number.NaN], é: "x\u2028y", nested: { deep: [true, null] } };
      const text = "héllo\r\n\u0000 wörld \u{1F600}";
      const bytes = new Uint8Array(256).map((_, i) => 255 - i);
      const dir = mkdtempSync(join(tmpdir(), "labbook-art-"));
      const file = join(dir, "model.json");
      const fileBytes = Buffer.from('{ "spaced" :  [1, 2],\n  "kept": "as written" }\n');
      writeFileSync(file, fileBytes);
      await run.logArtifact("value.json", value);
      await run.logArtifact("text.txt", text);
      await run.logArtifact("bytes.bin", bytes);
      await run.logArtifact("file.json", { path: file });
      // Whitespace and key order of JSON sent as JSON are kept as they are, whatever its media type.
      const raw = Buffer.from('{"b":1,  "a":[ 2 ]}\n');
      for (const mediaType of [
        "application/json",
        "application/json; charset=utf-8",
        "application/vnd.x+json",
      ]) {
        await store.putArtifact(run.runId, `raw-${mediaType.length}`, new Uint8Array(raw), {
          kind: "json",
          mediaType,
        });
      }
      async function* chunks() {
        for (let i = 0; i < 5; i++) yield new Uint8Array(70_000).fill(i);
      }
      await store.putArtifact(run.runId, "stream.bin", chunks(), {
        kind: "bytes",
        mediaType: "application/octet-stream",
      });
      await run.finish();
      const expected: Record<string, { bytes: Uint8Array; kind: string; mediaType: string }> = {
        "value.json": { bytes: Buffer.from(encodeJson(value)), kind: "json", mediaType: "application/json" },
        "text.txt": { bytes: Buffer.from(text), kind: "text", mediaType: "text/plain; charset=utf-8" },
        "bytes.bin": { bytes, kind: "bytes", mediaType: "application/octet-stream" },
        "file.json": { bytes: fileBytes, kind: "file", mediaType: "application/json" },
        "stream.bin": {
          bytes: Buffer.concat([0, 1, 2, 3, 4].map((i) => Buffer.alloc(70_000, i))),
          kind: "bytes",
          mediaType: "application/octet-stream",
        },
      };
      for (const mediaType of [
        "application/json",
        "application/json; charset=utf-8",
        "application/vnd.x+json",
      ]) {
        expected[`raw-${mediaType.length}`] = { bytes: raw, kind: "json", mediaType };
      }
      for (const [name, want] of Object.entries(expected)) {
        await expectArtifact(store, run.runId, name, want);
      }
      const back = (await store.getArtifact(run.runId, "value.json")).bytes;
      expect(JSON.parse(Buffer.from(back).toString())).toMatchObject({ é: "x\u2028y" });
    });

    contractCase(ctx, "artifact names with '..' or '/' are refused and nothing is written", async (store) => {
      const run = await store.startRun({ experiment: "f" });
      await run.flush();
      await expectError(run.logArtifact("../escape.txt", "x"), "INVALID_ARGUMENT", /name.*\.\./);
      await expectError(run.logArtifact("a/b.txt", "x"), "INVALID_ARGUMENT", /name/);
      await expectError(run.logArtifact("..", "x"), "INVALID_ARGUMENT", /name/);
      await expectError(
        store.putArtifact(run.runId, "../../x", new Uint8Array([1]), { kind: "bytes", mediaType: "x" }),
        "INVALID_ARGUMENT",
      );
      expect(await store.listArtifacts(run.runId)).toEqual([]);
    });

    contractCase(ctx, "data keeps shape and dtype of arrays and typed arrays", async (store) => {
      const run = await store.startRun({ experiment: "f" });
      const f32 = new Float32Array([1.5, -2, Number.NaN]);
      await run.logData("f32", f32);
      await run.logData("matrix", [
        [1, 2, 3],
        [4, 5, 6],
      ]);
      await run.logData("mixed", { w: new Int32Array([1, -1]), names: ["a", "b"] });
      await run.finish();
      const back = (await store.getData(run.runId, "f32")) as Float32Array;
      expect(back).toBeInstanceOf(Float32Array);
      expect([...back]).toEqual([1.5, -2, Number.NaN]);
      expect(await store.getData(run.runId, "matrix")).toEqual([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const mixed = (await store.getData(run.runId, "mixed")) as { w: Int32Array };
      expect(mixed.w).toBeInstanceOf(Int32Array);
      const list = await store.listData(run.runId);
      expect(list).toEqual([
        { name: "f32", dtype: "float32", shape: [3] },
        { name: "matrix", dtype: "float64", shape: [2, 3] },
        { name: "mixed", dtype: "object", shape: [] },
      ]);
      await expectError(store.getData(run.runId, "nope"), "NOT_FOUND");
    });
  });
}

/** Reads an artifact back both ways (whole and streamed) and compares bytes, size, digest and type. */
async function expectArtifact(
  store: Store,
  runId: string,
  name: string,
  want: { bytes: Uint8Array; kind: string; mediaType: string },
): Promise<void> {
  const digest = `sha256:${createHash("sha256").update(want.bytes).digest("hex")}`;
  const whole = await store.getArtifact(runId, name);
  expect(Buffer.from(whole.bytes).equals(Buffer.from(want.bytes)), `${name}: bytes`).toBe(true);
  expect(whole.descriptor, name).toMatchObject({
    name,
    kind: want.kind,
    mediaType: want.mediaType,
    size: want.bytes.byteLength,
    digest,
  });
  const opened = await store.openArtifact(runId, name);
  const parts: Uint8Array[] = [];
  for await (const c of opened.stream) parts.push(c);
  expect(Buffer.concat(parts).equals(Buffer.from(want.bytes)), `${name}: streamed bytes`).toBe(true);
  const listed = (await store.listArtifacts(runId)).find((a) => a.name === name);
  expect(listed, name).toMatchObject({ size: want.bytes.byteLength, digest });
}
