import { invalid } from "../../../core/errors.js";
import type { RunWrite } from "../../types.js";
import type { SqlContext } from "../context.js";
import { runBlobPrefix } from "./runs-delete.js";
import { applyRunWrite, checkRunWrite } from "./runs-write.js";

/**
 * Applies several runs' batches in one transaction, in order, each checked and written as
 * `writeRun` does it (nothing is written when one fails); see {@link Store.writeRuns}.
 */
export async function writeRuns(ctx: SqlContext, writes: readonly RunWrite[]): Promise<void> {
  if (!Array.isArray(writes)) throw invalid("writes", "must be a list of { runId, batch }", writes);
  const experiments = new Set<string>();
  for (const [i, w] of writes.entries()) {
    if (w === null || typeof w !== "object" || typeof w.runId !== "string")
      throw invalid(`writes[${i}]`, "must be { runId, batch } with a string runId", w);
    await checkRunWrite(ctx, w.batch, experiments);
  }
  if (writes.length === 0) return;
  const replaced = await ctx.write(async (tx) => {
    const out: { runId: string; pk: number }[] = [];
    for (const { runId, batch } of writes) {
      const pk = await applyRunWrite(tx, ctx, runId, batch);
      if (pk !== null) out.push({ runId, pk });
    }
    return out;
  });
  for (const r of replaced) await ctx.blobs.deletePrefix(runBlobPrefix(r.runId, r.pk));
}
