import { describe, expect } from "vitest";
import { contractCase, expectError } from "./helpers.js";
import type { ContractContext } from "./suite.js";

/** Search with the NVIDIA evaluator's meanings: `$like` is a substring, the `search` parameter. */
export function searchCases(ctx: ContractContext): void {
  describe("search", () => {
    contractCase(
      ctx,
      "JSON $like is a substring match, string LIKE a SQL pattern, and `search` finds by substring",
      async (store) => {
        const names = ["metric-beta", "llama-7b", "Llama-13b", "50%_done", "other"];
        for (const [i, name] of names.entries()) {
          const run = await store.startRun({
            experiment: i < 3 ? "llm-eval" : "misc",
            name,
            tags: i === 4 ? ["llama-baseline"] : {},
            params: { i },
          });
          await run.finish();
        }
        const found = async (q: Parameters<typeof store.searchRuns>[0]) =>
          (await store.searchRuns({ ...q, fields: [], sort: "params.i" })).data.map((r) => r.name).sort();
        expect(await found({ filter: { name: { $like: "beta" } } })).toEqual(["metric-beta"]);
        expect(await found({ filter: { name: { $like: "50%" } } })).toEqual(["50%_done"]);
        expect(await found({ filter: { name: { $ilike: "LLAMA" } } })).toEqual(["Llama-13b", "llama-7b"]);
        expect(await found({ filter: 'name LIKE "%llama%"' })).toEqual(["llama-7b"]);
        expect(await found({ filter: 'name like "50\\%\\_%"' })).toEqual(["50%_done"]);
        expect(await found({ search: { name: "llama" } })).toEqual(["llama-7b"]);
        expect(await found({ search: { name: { $like: "llama" } } })).toEqual(["llama-7b"]);
        // a bare string: the name, the experiment or a tag key
        expect(await found({ search: "llama" })).toEqual(["llama-7b", "other"]);
        expect(await found({ search: "llm" })).toEqual(["Llama-13b", "llama-7b", "metric-beta"]);
        // search and filter must both hold; JSON text works too
        expect(await found({ search: '{"experiment": "llm"}', filter: "params.i >= 1" })).toEqual([
          "Llama-13b",
          "llama-7b",
        ]);
        expect(await found({ search: { "params.i": { $gte: 3 } } })).toEqual(["50%_done", "other"]);
        const all: string[] = [];
        for await (const r of store.iterateRuns({ search: { name: "b" }, fields: [] })) all.push(r.name!);
        expect(all.sort()).toEqual(["Llama-13b", "llama-7b", "metric-beta"]);
        await expectError(store.searchRuns({ search: { name: { $bad: 1 } } }), "INVALID_ARGUMENT");
        await expect(store.searchRuns({ search: { name: { $bad: 1 } } })).rejects.toThrow(/^search\.name/);
      },
    );
  });
}
