import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "./sql/sqlite/open.js";

describe("buffered run entries", () => {
  it("reach the store about a second after they were logged, without flush() or finish()", async () => {
    const dir = mkdtempSync(join(tmpdir(), "labbook-flush-"));
    const store = await openSqliteStore(dir);
    const reader = await openSqliteStore(dir);
    try {
      const a = await store.startRun({ experiment: "flush", params: {} });
      await a.logMetric("loss", 0.5);
      const b = await store.startRun({ experiment: "flush", params: {} });
      await b.logMetric("loss", 0.25);
      await b.finish(); // b's own write: a stays buffered
      await expect(reader.getRun(a.runId)).rejects.toThrow(/does not exist/);
      const t0 = Date.now();
      let seen: number | undefined;
      while (Date.now() - t0 < 5000 && seen === undefined) {
        await new Promise((r) => setTimeout(r, 50));
        seen = await reader.getRun(a.runId).then(
          (r) => r.metrics.loss,
          () => undefined,
        );
      }
      expect(seen).toBe(0.5);
      expect((await reader.getRun(b.runId)).status).toBe("success");
      await a.finish();
    } finally {
      await store.close();
      await reader.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
