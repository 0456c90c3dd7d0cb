import { type ScoreColumn, TAG_BOOLEAN, TAG_NUMBER, TAG_STRING } from "../rows/score-chunk-codec.js";

/**
 * The rows of a run an aggregate covers: ascending row ids, each with a group ordinal (0
 * when not grouped) and, for `byDatapoint`, a datapoint ordinal.
 */
export interface RowSelection {
  rowPks: Float64Array;
  group: Int32Array;
  groups: number;
  datapoint?: Int32Array;
  datapoints?: number;
}

/** For each entry of `col` (ascending row ids), its index in `sel`, or -1 when not selected. */
export function positionsIn(col: ScoreColumn, sel: RowSelection): Int32Array {
  const out = new Int32Array(col.count).fill(-1);
  const a = col.rowPks;
  const b = sel.rowPks;
  for (let i = 0, j = 0; i < col.count && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else out[i++] = j++;
  }
  return out;
}

const isNumeric = (tag: number) => tag === TAG_NUMBER || tag === TAG_BOOLEAN;

/**
 * The numeric values (numbers, booleans as 0/1; NaN kept) of a score per group. With
 * `byDatapoint`, each datapoint's trials are averaged first (NaN trials left out; NaN when
 * every trial is NaN). Without a selection every row counts, in one group.
 */
export function rangeSamples(
  col: ScoreColumn,
  sel: RowSelection | null,
  byDatapoint: boolean,
): Float64Array[] {
  if (!sel) {
    let n = 0;
    for (let i = 0; i < col.count; i++) if (isNumeric(col.tags[i]!)) n++;
    if (n === col.count) return [col.nums];
    const out = new Float64Array(n);
    for (let i = 0, k = 0; i < col.count; i++) if (isNumeric(col.tags[i]!)) out[k++] = col.nums[i]!;
    return [out];
  }
  const pos = positionsIn(col, sel);
  if (byDatapoint && sel.datapoint) return datapointMeans(col, sel, pos);
  const sizes = new Int32Array(sel.groups);
  for (let i = 0; i < col.count; i++)
    if (pos[i]! >= 0 && isNumeric(col.tags[i]!)) sizes[sel.group[pos[i]!]!]!++;
  const out = Array.from(sizes, (n) => new Float64Array(n));
  const fill = new Int32Array(sel.groups);
  for (let i = 0; i < col.count; i++) {
    const p = pos[i]!;
    if (p < 0 || !isNumeric(col.tags[i]!)) continue;
    const g = sel.group[p]!;
    out[g]![fill[g]!++] = col.nums[i]!;
  }
  return out;
}

function datapointMeans(col: ScoreColumn, sel: RowSelection, pos: Int32Array): Float64Array[] {
  const d = sel.datapoints ?? 0;
  const sum = new Float64Array(d);
  const n = new Int32Array(d);
  const seen = new Uint8Array(d);
  const groupOf = new Int32Array(d);
  for (let i = 0; i < col.count; i++) {
    const p = pos[i]!;
    if (p < 0 || !isNumeric(col.tags[i]!)) continue;
    const k = sel.datapoint![p]!;
    seen[k] = 1;
    groupOf[k] = sel.group[p]!;
    const v = col.nums[i]!;
    if (!Number.isNaN(v)) {
      sum[k]! += v;
      n[k]!++;
    }
  }
  const lists: number[][] = Array.from({ length: sel.groups }, () => []);
  for (let k = 0; k < d; k++) if (seen[k]) lists[groupOf[k]!]!.push(n[k] ? sum[k]! / n[k]! : Number.NaN);
  return lists.map((l) => Float64Array.from(l));
}

/** The category of entry `i` as a string (numbers and booleans spelled out), or null (null or NaN). */
export function categoryAt(col: ScoreColumn, i: number): string | null {
  const tag = col.tags[i];
  if (tag === TAG_STRING) return col.dict[col.codes[i]!]!;
  if (tag === TAG_NUMBER) return Number.isNaN(col.nums[i]!) ? null : String(col.nums[i]);
  if (tag === TAG_BOOLEAN) return col.nums[i] === 1 ? "true" : "false";
  return null;
}

/**
 * The categories of a score per group (nulls left out). With `byDatapoint` each datapoint
 * counts once, with its most frequent category (ties: the one seen first).
 */
export function rubricSamples(col: ScoreColumn, sel: RowSelection | null, byDatapoint: boolean): string[][] {
  const pos = sel ? positionsIn(col, sel) : null;
  const out: string[][] = Array.from({ length: sel?.groups ?? 1 }, () => []);
  const perDatapoint = byDatapoint && sel?.datapoint ? sel.datapoint : null;
  // Per datapoint: its first category and group; a count map only once a second value comes.
  const D = perDatapoint ? (sel?.datapoints ?? 0) : 0;
  const first: (string | undefined)[] = new Array(D);
  const groupOf = new Int32Array(D);
  const several = new Map<number, Map<string, number>>();
  for (let i = 0; i < col.count; i++) {
    const p = pos ? pos[i]! : 0;
    if (p < 0) continue;
    const c = categoryAt(col, i);
    if (c === null) continue;
    const g = sel ? sel.group[p]! : 0;
    if (!perDatapoint) {
      out[g]!.push(c);
      continue;
    }
    const k = perDatapoint[p]!;
    const seen = first[k];
    if (seen === undefined) {
      first[k] = c;
      groupOf[k] = g;
      continue;
    }
    let counts = several.get(k);
    if (!counts) {
      counts = new Map([[seen, 1]]);
      several.set(k, counts);
    }
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  for (let k = 0; k < D; k++) {
    let best = first[k];
    if (best === undefined) continue;
    const counts = several.get(k);
    if (counts) {
      let most = 0;
      for (const [c, n] of counts) if (n > most) [best, most] = [c, n];
    }
    out[groupOf[k]!]!.push(best);
  }
  return out;
}
