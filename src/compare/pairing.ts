/** Where the datapoints of two runs meet: positions of the common ids in each run's id list. */
export interface DatapointAlignment {
  /** Common ids, in the new run's order. */
  commonIds: string[];
  /** For each common id, its ordinal in the new / old run. */
  newIndex: Int32Array;
  oldIndex: Int32Array;
  /** Ordinals of the ids only one run has. */
  newOnly: number[];
  oldOnly: number[];
}

/**
 * Matches two runs' datapoint ids (each list without repeats): one merge pass when both are
 * ascending (as the store reads them), a hash lookup otherwise.
 *
 * @example
 * alignDatapoints(["a", "b", "c"], ["b", "c", "d"]); // commonIds ["b", "c"], newOnly [0], oldOnly [2]
 */
export function alignDatapoints(newIds: readonly string[], oldIds: readonly string[]): DatapointAlignment {
  return ascending(newIds) && ascending(oldIds) ? mergeSorted(newIds, oldIds) : byLookup(newIds, oldIds);
}

function ascending(ids: readonly string[]): boolean {
  for (let i = 1; i < ids.length; i++) if (!(ids[i - 1]! < ids[i]!)) return false;
  return true;
}

/** Both lists strictly ascending (as the store reads them): one merge pass. */
function mergeSorted(newIds: readonly string[], oldIds: readonly string[]): DatapointAlignment {
  const commonIds: string[] = [];
  const newIndex = new Int32Array(Math.min(newIds.length, oldIds.length));
  const oldIndex = new Int32Array(newIndex.length);
  const newOnly: number[] = [];
  const oldOnly: number[] = [];
  let i = 0;
  let j = 0;
  while (i < newIds.length && j < oldIds.length) {
    const a = newIds[i]!;
    const b = oldIds[j]!;
    if (a < b) newOnly.push(i++);
    else if (a > b) oldOnly.push(j++);
    else {
      newIndex[commonIds.length] = i++;
      oldIndex[commonIds.length] = j++;
      commonIds.push(a);
    }
  }
  while (i < newIds.length) newOnly.push(i++);
  while (j < oldIds.length) oldOnly.push(j++);
  const m = commonIds.length;
  return { commonIds, newIndex: newIndex.slice(0, m), oldIndex: oldIndex.slice(0, m), newOnly, oldOnly };
}

function byLookup(newIds: readonly string[], oldIds: readonly string[]): DatapointAlignment {
  const oldOrdinal = new Map<string, number>();
  for (const [i, id] of oldIds.entries()) oldOrdinal.set(id, i);
  const commonIds: string[] = [];
  const newIndex: number[] = [];
  const oldIndex: number[] = [];
  const newOnly: number[] = [];
  const seenOld = new Uint8Array(oldIds.length);
  newIds.forEach((id, i) => {
    const j = oldOrdinal.get(id);
    if (j === undefined) newOnly.push(i);
    else {
      commonIds.push(id);
      newIndex.push(i);
      oldIndex.push(j);
      seenOld[j] = 1;
    }
  });
  const oldOnly: number[] = [];
  for (let j = 0; j < oldIds.length; j++) if (!seenOld[j]) oldOnly.push(j);
  return {
    commonIds,
    newIndex: Int32Array.from(newIndex),
    oldIndex: Int32Array.from(oldIndex),
    newOnly,
    oldOnly,
  };
}

/** One value per datapoint: `present` when it has at least one usable entry; NaN when all were NaN. */
export interface DatapointValues {
  values: Float64Array;
  present: Uint8Array;
}

/**
 * Averages repeated trials per datapoint: entry `i` (value `values[i]`, counted only when
 * `usable[i]`) belongs to datapoint `datapointOf[i]`. NaN trials are left out of the mean;
 * a datapoint whose usable trials are all NaN gets NaN.
 *
 * @example
 * averageByDatapoint(Int32Array.from([0, 0, 1]), Float64Array.from([1, 0, NaN]), null, 2);
 * // values [0.5, NaN], present [1, 1]
 */
export function averageByDatapoint(
  datapointOf: Int32Array,
  values: Float64Array,
  usable: Uint8Array | null,
  datapoints: number,
): DatapointValues {
  const sum = new Float64Array(datapoints);
  const n = new Int32Array(datapoints);
  const present = new Uint8Array(datapoints);
  for (let i = 0; i < datapointOf.length; i++) {
    if (usable && !usable[i]) continue;
    const k = datapointOf[i]!;
    if (k < 0) continue;
    present[k] = 1;
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      sum[k]! += v;
      n[k]!++;
    }
  }
  const out = new Float64Array(datapoints);
  for (let k = 0; k < datapoints; k++) out[k] = n[k] ? sum[k]! / n[k]! : Number.NaN;
  return { values: out, present };
}

/** A metric's paired values over the common datapoints. */
export interface PairedValues {
  /** Positions (in the alignment's common ids) of the pairs. */
  at: Int32Array;
  newValues: Float64Array;
  oldValues: Float64Array;
  /** Common datapoints left out: a NaN value / a run without the metric there. */
  nanCount: number;
  missingCount: number;
}

/**
 * Pairs a metric's per-datapoint values of two runs over their common datapoints; pairs with
 * a NaN on either side are left out and counted in `nanCount`, those a run lacks in
 * `missingCount`.
 *
 * @example
 * const a = alignDatapoints(newIds, oldIds);
 * const p = pairValues(a, newValues, oldValues); // p.newValues[i] - p.oldValues[i] is datapoint a.commonIds[p.at[i]]
 */
export function pairValues(
  a: DatapointAlignment,
  newSide: DatapointValues,
  oldSide: DatapointValues,
): PairedValues {
  const m = a.commonIds.length;
  const at = new Int32Array(m);
  const nv = new Float64Array(m);
  const ov = new Float64Array(m);
  let k = 0;
  let nanCount = 0;
  let missingCount = 0;
  for (let i = 0; i < m; i++) {
    const ni = a.newIndex[i]!;
    const oi = a.oldIndex[i]!;
    if (!newSide.present[ni] || !oldSide.present[oi]) {
      missingCount++;
      continue;
    }
    const x = newSide.values[ni]!;
    const y = oldSide.values[oi]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      nanCount++;
      continue;
    }
    at[k] = i;
    nv[k] = x;
    ov[k++] = y;
  }
  return {
    at: at.subarray(0, k),
    newValues: nv.subarray(0, k),
    oldValues: ov.subarray(0, k),
    nanCount,
    missingCount,
  };
}
