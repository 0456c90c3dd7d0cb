import fc from "fast-check";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { syncRunIndex } from "../../runs/run-index.js";
import { flattenParams } from "../../shared/encode.js";
import { tempStore } from "./test-support/temp-store.js";

const key = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("lr", "model", "depth", "opt", "beta1", "x_2", "Ü") },
  fc.constantFrom("a.b", 'q"uote', "sp ace", "", "$ref", "1st", "é-x"),
  fc.string({ maxLength: 4 }),
);
const leaf = fc.oneof(
  fc.double(),
  fc.double({ min: -1e-300, max: 1e-300 }),
  fc.integer(),
  fc.constantFrom(0.1, 1e21, 2 ** 60, -0, 5e-324, 2 ** 64 + 2 ** 12),
  fc.string(),
  fc.constantFrom('say "hi"', "ü\u0000\n", "\ud83d\ude00"),
  fc.boolean(),
  fc.constant(null),
  fc.constant(new Date(0)),
  fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 3 }),
);
const params = fc.letrec((tie) => ({
  node: fc.dictionary(key, tie("value"), { maxKeys: 4 }),
  value: fc.oneof({ depthSize: "small" }, leaf, tie("node")),
})).node;

describe("param leaves written by SQLite", () => {
  it("equal flattenParams of the params, for any params (SQLite's share and the store's)", async () => {
    const t = await tempStore("param-leaves");
    try {
      const cases = fc.sample(params, { numRuns: 400, seed: 20261206 });
      const ids: string[] = [];
      for (const p of cases) {
        const run = await t.store.startRun({ experiment: "leaves", params: p });
        await run.finish();
        ids.push(run.runId);
      }
      const own = t.store.ctx.paramLeaves!;
      let leftToStore = 0;
      t.store.ctx.paramLeaves = async (tx, from, to) => {
        const rest = await own(tx, from, to);
        leftToStore += rest.length;
        return rest;
      };
      await syncRunIndex(t.store.ctx);
      const rows = (
        await sql<{
          run_id: string;
          path: string;
          type: string;
          num: number | null;
          text: string | null;
        }>`select r.run_id, p.path, p.type, p.num, p.text from run_params p join runs r on r.id = p.run_pk order by r.id, p.path`.execute(
          t.store.ctx.db,
        )
      ).rows;
      for (const [i, p] of cases.entries()) {
        const run = await t.store.getRun(ids[i]!);
        // A path written twice (an empty key: `{"": {"a": 1}, "a": 2}`) keeps its first leaf.
        const first = new Map(
          flattenParams(run.params)
            .reverse()
            .map((l) => [l.path, l]),
        );
        const expected = [...first.values()]
          .map((l) => ({ path: l.path, type: l.type, num: l.num, text: l.text }))
          .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        const got = rows
          .filter((r) => r.run_id === ids[i])
          .map((r) => ({ path: r.path, type: r.type, num: r.num, text: r.text }))
          .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        expect(got, JSON.stringify(p)).toEqual(expected);
      }
      // Both shares are exercised: SQLite flattened many runs, the store the others.
      expect(leftToStore).toBeGreaterThan(50);
      expect(cases.length - leftToStore).toBeGreaterThan(50);
    } finally {
      await t.close();
    }
  });
});
