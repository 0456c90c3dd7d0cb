import { describe, expect, it } from "vitest";
import { tempStore } from "./sql/dialects/sqlite/test-support/temp-store.js";

describe("keys named __proto__ (as JSON.parse makes them)", () => {
  it("are kept as data in params and tags, through the store and its search", async () => {
    const t = await tempStore("proto-keys");
    try {
      const params = JSON.parse('{"__proto__":{"depth":3},"lr":0.1}');
      const tags = JSON.parse('{"__proto__":"odd","team":"a"}');
      const run = await t.store.startRun({ experiment: "proto", params, tags });
      await run.setTags(JSON.parse('{"__proto__":"odder"}'));
      await run.finish();
      const back = await t.store.getRun(run.runId);
      expect(Object.hasOwn(back.params, "__proto__")).toBe(true);
      expect(JSON.stringify(back.params)).toBe('{"__proto__":{"depth":3},"lr":0.1}');
      expect(Object.getPrototypeOf(back.params)).toBe(Object.prototype);
      expect(Object.hasOwn(back.tags, "__proto__")).toBe(true);
      expect(back.tags).toEqual(JSON.parse('{"__proto__":"odder","team":"a"}'));
      const found = await t.store.searchRuns({ filter: "params.__proto__.depth = 3" });
      expect(found.data.map((r) => r.runId)).toEqual([run.runId]);
    } finally {
      await t.close();
    }
  });
});
