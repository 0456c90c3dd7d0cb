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
export async function syncMetricIndex(ctx: SqlContext): Promise<boolean> {
  // `pending = 1` written out (not bound) so that the partial index on pending rows serves it.
  const probe = sql<{ one: number }>`select 1 as one from run_metrics where pending = 1 limit 1`;
  const { rows } = await probe.execute(ctx.db);
  if (rows.length === 0) return true;
  try {
    await ctx.write((tx) =>
      tx.query(sql`update run_metrics set pending = 0 where pending = 1`.compile(ctx.db)),
    );
    return true;
  } catch {
    return false;
  }
}
