import { describe, expect } from "vitest";
import { contractCase, expectError } from "./helpers.js";
import type { ContractContext } from "./suite.js";

/** Reads and writes over many runs at once: `writeRuns`, `listArtifactsOfRuns`, `countRowsOfRuns`. */
export function bulkCases(ctx: ContractContext): void {
  describe("many runs at once", () => {
    contractCase(ctx, "writeRuns writes every batch in one transaction, or none of them", async (store) => {
      const creates = await Promise.all(
        [0.1, 0.2, 0.3].map((lr) =>
          store.prepareRun({ experiment: "bulk", params: { lr }, startedAt: 1000 }),
        ),
      );
      await store.writeRuns(
        creates.map((create, i) => ({
          runId: create.runId,
          batch: {
            create,
            metrics: [{ name: "acc", value: i === 2 ? Number.NaN : i / 2, step: 0, timestamp: 1500 }],
            rows: i === 1 ? [{ datapointId: "q1", scores: { em: 1 } }] : [],
            end: { status: "success", finishedAt: 2000 },
          },
        })),
      );
      const runs = await Promise.all(creates.map((c) => store.getRun(c.runId)));
      expect(runs.map((r) => [r.params.lr, r.metrics.acc, r.status, r.durationMs])).toEqual([
        [0.1, 0, "success", 1000],
        [0.2, 0.5, "success", 1000],
        [0.3, Number.NaN, "success", 1000],
      ]);
      // The second write is refused (its run has ended): the first, on a new run, is not kept.
      const fresh = await store.prepareRun({ experiment: "bulk", params: { lr: 0.4 } });
      await expectError(
        store.writeRuns([
          { runId: fresh.runId, batch: { create: fresh } },
          { runId: creates[0]!.runId, batch: { tags: { late: "yes" } } },
        ]),
        "FAILED_PRECONDITION",
      );
      await expectError(store.getRun(fresh.runId), "NOT_FOUND");
      await expectError(
        store.writeRuns([
          { runId: fresh.runId, batch: { create: fresh, metrics: [{ name: "acc" }] as never } },
        ]),
        "INVALID_ARGUMENT",
      );
      await expectError(store.getRun(fresh.runId), "NOT_FOUND");
      await store.writeRuns([]);
    });

    contractCase(ctx, "artifacts and row counts of many runs, unknown ids left out", async (store) => {
      const a = await store.startRun({ experiment: "bulk-read" });
      await a.logArtifact("b.txt", "bee");
      await a.logArtifact("a.txt", "ay");
      await a.logRows([
        { datapointId: "x", scores: { s: 1 } },
        { datapointId: "y", scores: { s: 0 } },
      ]);
      await a.finish();
      const b = await store.startRun({ experiment: "bulk-read" });
      await b.finish();
      const artifacts = await store.listArtifactsOfRuns([b.runId, a.runId, "nope", a.runId]);
      expect(Object.keys(artifacts).sort()).toEqual([a.runId, b.runId].sort());
      expect(artifacts[a.runId]).toEqual(await store.listArtifacts(a.runId));
      expect(artifacts[a.runId]!.map((x) => x.name)).toEqual(["a.txt", "b.txt"]);
      expect(artifacts[b.runId]).toEqual([]);
      expect(await store.countRowsOfRuns([a.runId, b.runId, "nope"])).toEqual({ [a.runId]: 2, [b.runId]: 0 });
      expect(await store.listArtifactsOfRuns([])).toEqual({});
      await expectError(store.countRowsOfRuns("nope" as never), "INVALID_ARGUMENT");
    });
  });
}
