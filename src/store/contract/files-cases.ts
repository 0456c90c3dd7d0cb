import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect } from "vitest";
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
