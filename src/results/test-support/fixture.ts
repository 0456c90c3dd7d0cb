import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../store/sql/dialects/sqlite/open.js";
import type { Store } from "../../store/types.js";

export interface Fixture {
  store: Store;
  dir: string;
  cleanup(): Promise<void>;
}

/**
 * A temporary SQLite store holding a small sweep of `sweep:1.0.0` (lr x seed: 4 success runs),
 * one failed and one cancelled run, and one run of `other:0.1.0`; logged in that order.
 */
export async function sweepFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), "labbook-results-"));
  const store = await openSqliteStore(dir);
  let i = 0;
  for (const lr of [0.1, 0.01]) {
    for (const seed of [0, 1]) {
      const run = await store.startRun({
        experiment: "sweep:1.0.0",
        params: { lr, seed, model: { kind: "linear", layers: [4, 2] } },
        seed,
        tags: seed === 0 ? ["baseline", "fast"] : { stage: "dev" },
      });
      for (let step = 0; step < 3; step++) await run.logMetric("loss", 1 / (step + 1 + i), { step });
      await run.logMetrics({ acc: 0.5 + 0.1 * i, odd: i === 1 ? Number.NaN : i });
      await run.logArtifact("weights", { w: [i, 2], b: Number.NaN });
      await run.logArtifact("notes", `run ${i}, "quoted"`);
      await run.logArtifact("blob", new Uint8Array([1, 2, 3, i]));
      await run.logData("curve", new Float64Array([3, 2, 1 / (i + 1)]));
      await run.logRows([
        { datapointId: "d1", scores: { correct: 1 } },
        { datapointId: "d2", scores: { correct: i % 2 } },
      ]);
      await run.finish();
      i++;
    }
  }
  const failed = await store.startRun({ experiment: "sweep:1.0.0", params: { lr: 1, seed: 0 } });
  await failed.logMetric("loss", Number.POSITIVE_INFINITY);
  await failed.fail(new RangeError("diverged"));
  const cancelled = await store.startRun({ experiment: "sweep:1.0.0", params: { lr: 0.5, seed: 0 } });
  await cancelled.cancel();
  const other = await store.startRun({ experiment: "other:0.1.0", params: { note: 'a,b "c"\nd' } });
  await other.logMetric("acc", 0.1);
  await other.finish();
  return {
    store,
    dir,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
