import { sql } from "kysely";
import type { SqlContext } from "./context.js";

/**
 * Moves summary metrics written since the last search into the metric-value index (migration
 * 6), in one write transaction, and answers whether the index now holds every value: searches
 * then range and order on it (`pending = 0`); when it cannot (a read-only store, or a writer
 * holding the lock past the wait), they read the metrics without it.
 *
 * @example
 * if (await syncMetricIndex(store.ctx)) console.log("metric ranges and sorts use the index");
 */
export async function syncMetricIndex(ctx: SqlContext, batch = BATCH): Promise<boolean> {
  // `pending = 1` written out (not bound) so that the partial index on pending rows serves it.
  const probe = sql<{ one: number }>`select 1 as one from run_metrics where pending = 1 limit 1`;
  if ((await probe.execute(ctx.db)).rows.length === 0) return true;
  // In transactions of at most BATCH runs' values, so that other writers wait for one batch
  // (tens of milliseconds), not for the whole backlog.
  const bound = sql<{
    pk: number;
    lo: number;
  }>`select run_pk as pk, (select min(run_pk) from run_metrics where pending = 1) as lo from run_metrics where pending = 1 order by run_pk limit 1 offset ${batch}`;
  try {
    for (;;) {
      const last = await ctx.write(async (tx) => {
        const [row] = await tx.query<{ pk: number; lo: number }>(bound.compile(ctx.db));
        // Up to the batch's last run (all of it when one run alone fills the batch).
        const upto = !row
          ? sql``
          : row.pk > row.lo
            ? sql` and run_pk < ${row.pk}`
            : sql` and run_pk <= ${row.pk}`;
        await tx.query(sql`update run_metrics set pending = 0 where pending = 1${upto}`.compile(ctx.db));
        return row === undefined;
      });
      if (last) return true;
    }
  } catch {
    return false;
  }
}

/** Pending values moved into the index per transaction (about that many). */
const BATCH = 20_000;
