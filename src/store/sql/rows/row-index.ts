import type { SqlContext } from "../context.js";
import type { RowSelection } from "../scores/score-samples.js";

/** A run's rows: ids ascending, each with its datapoint ordinal; datapoint ids in id order. */
export interface RowIndex extends RowSelection {
  datapoint: Int32Array;
  datapoints: number;
  /** Datapoint ids by ordinal, ascending. */
  datapointIds: string[];
  /** Each row's trial. */
  trial: Int32Array;
}

/**
 * Reads every row id of a run with its datapoint and trial (one group). The covering index
 * `(run_pk, datapoint_id, trial)` yields rows in datapoint order, so datapoint ordinals
 * follow `datapointId` order; rows are then put in id order for merging with score columns.
 */
export async function readRowIndex(ctx: SqlContext, runPk: number): Promise<RowIndex> {
  const rows = await ctx.db
    .selectFrom("run_rows")
    .select(["id", "datapoint_id", "trial"])
    .where("run_pk", "=", runPk)
    .orderBy("datapoint_id")
    .orderBy("trial")
    .execute();
  const n = rows.length;
  const datapointIds: string[] = [];
  const ids = new Float64Array(n);
  const ordinal = new Int32Array(n);
  const trials = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (datapointIds[datapointIds.length - 1] !== r.datapoint_id) datapointIds.push(r.datapoint_id);
    ids[i] = Number(r.id);
    ordinal[i] = datapointIds.length - 1;
    trials[i] = Number(r.trial);
  }
  const order = idOrder(ids);
  const index: RowIndex = {
    rowPks: new Float64Array(n),
    group: new Int32Array(n),
    groups: 1,
    datapoint: new Int32Array(n),
    datapoints: datapointIds.length,
    datapointIds,
    trial: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    index.rowPks[i] = ids[order[i]!]!;
    index.datapoint[i] = ordinal[order[i]!]!;
    index.trial[i] = trials[order[i]!]!;
  }
  return index;
}

/**
 * The positions of `ids` (distinct integers) in ascending id order. A run's row ids are
 * mostly one compact range, so a direct table over the range replaces a comparison sort;
 * sparse ids are sorted.
 */
export function idOrder(ids: Float64Array): Uint32Array {
  const n = ids.length;
  const order = new Uint32Array(n);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = ids[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min + 1;
  if (n > 0 && span <= 4 * n + 1024) {
    const at = new Int32Array(span).fill(-1);
    for (let i = 0; i < n; i++) at[ids[i]! - min] = i;
    for (let k = 0, j = 0; k < span; k++) if (at[k]! >= 0) order[j++] = at[k]!;
    return order;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => ids[a]! - ids[b]!);
}
