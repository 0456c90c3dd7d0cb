import { LabbookError } from "../../../core/errors.js";
import { readRowScores, rowScoreLine } from "../../../scores/row-scores-jsonl.js";
import type { SqlContext } from "../context.js";
import { iterateRowRecords } from "../runs/run-extras.js";
import { runKey } from "../runs/runs-read.js";
import { writeRun } from "../runs/runs-write.js";

/** A run's rows as JSONL lines, in `datapointId, trial` order; see {@link Store.rowScores}. */
export async function* rowScores(ctx: SqlContext, runId: string): AsyncGenerator<string> {
  for await (const row of iterateRowRecords(ctx, runId, { batchSize: 2000 })) yield rowScoreLine(row);
}

/**
 * Reads JSONL row scores into a running run (one already written: a handle writes its run
 * with its first write or `flush()`): every line is parsed and checked first (the
 * first bad line fails the call, naming its number, and nothing is written), then all rows
 * are written in one transaction. Blank lines are skipped.
 */
export async function importRowScores(
  ctx: SqlContext,
  runId: string,
  stream: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): Promise<{ rows: number }> {
  const run = await runKey(ctx, runId);
  if (run.status !== "running" && run.status !== "crashed") {
    throw new LabbookError(
      "FAILED_PRECONDITION",
      `run ${runId} has ended (${run.status}); import into a running run`,
      {
        field: "runId",
        details: { runId, status: run.status },
      },
    );
  }
  const rows = await readRowScores(stream);
  await writeRun(ctx, runId, { rows });
  return { rows: rows.length };
}
