import { invalid } from "../../../core/errors.js";
import type { RunWrite } from "../../types.js";
import type { SqlContext } from "../context.js";
import { type TxSteps, writeSteps } from "../write-tx.js";
import { syncAfterInsert } from "./run-index.js";
import { runBlobPrefix } from "./runs-delete.js";
import { checkRunWrite, writeRunSteps } from "./runs-write.js";

/**
 * Applies several runs' batches in one transaction, in order, each checked and written by the
 * steps of `writeRun` (so the run change log and the run index see them as they see one run's
 * write); nothing is written when one fails. See {@link Store.writeRuns}.
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
  const written = await writeSteps(ctx, () => allSteps(ctx, writes));
  for (const r of written.replaced) await ctx.blobs.deletePrefix(runBlobPrefix(r.runId, r.pk));
  if (written.maxCreatedPk !== null) await syncAfterInsert(ctx, written.maxCreatedPk);
}

interface ManyWritten {
  replaced: { runId: string; pk: number }[];
  maxCreatedPk: number | null;
}

function* allSteps(ctx: SqlContext, writes: readonly RunWrite[]): TxSteps<ManyWritten> {
  const out: ManyWritten = { replaced: [], maxCreatedPk: null };
  for (const { runId, batch } of writes) {
    const { createdPk, replacedPk } = yield* writeRunSteps(ctx, runId, batch);
    if (replacedPk !== null) out.replaced.push({ runId, pk: replacedPk });
    if (createdPk !== null) out.maxCreatedPk = Math.max(out.maxCreatedPk ?? 0, createdPk);
  }
  return out;
}
