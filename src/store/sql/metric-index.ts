import type { SqlContext } from "./context.js";
import { syncRunIndex } from "./run-index.js";

/**
 * Moves summary metrics written since the last sync into the metric-value index (migrations 6
 * and 8: the metrics of runs above `run_index.through` are written `pending = 1`, outside the
 * partial index), with the rest of the run index ({@link syncRunIndex}), and answers whether the
 * index now holds every value: searches then range and order on it (`pending = 0`); when it
 * cannot (a read-only store, or a writer holding the lock past the wait), they read the metrics
 * without it.
 *
 * @example
 * if (await syncMetricIndex(store.ctx)) console.log("metric ranges and sorts use the index");
 */
export function syncMetricIndex(ctx: SqlContext, batch?: number): Promise<boolean> {
  return syncRunIndex(ctx, batch);
}
