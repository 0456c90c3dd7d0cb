import { describe, expect, it } from "vitest";
import { tempStore } from "./sql/dialects/sqlite/test-support/temp-store.js";

describe("buffered run entries", () => {
  it("reach the store about a second after they were logged, without flush() or finish()", async () => {
    const t = await tempStore("flush");
    const { store } = t;
    const reader = await t.another();
    try {
      const a = await store.startRun({ experiment: "flush", params: {} });
      await a.logMetric("loss", 0.5);
      const b = await store.startRun({ experiment: "flush", params: {} });
      await b.logMetric("loss", 0.25);
      await b.finish(); // b's own write: a's metric stays buffered
      expect((await reader.getRun(a.runId)).status).toBe("running"); // stored from the start
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
      await t.close();
    }
  });
});
