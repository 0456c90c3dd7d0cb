/**
 * Percentiles with numpy's default method (`linear`, Hyndman and Fan type 7): for `p` in
 * [0, 100] over `n` sorted values `x`, `h = (n - 1) * p / 100` and the result is
 * `x[floor(h)]` interpolated toward `x[floor(h) + 1]` by the fraction of `h`, computed as
 * numpy's `_lerp` does (from the upper value when the fraction is at least 0.5), so finite
 * results match numpy bit for bit.
 *
 * NaN values are left out. Infinities are values: at an exact index the value there is
 * returned, between a finite value and an infinity the infinity, and between `-Infinity`
 * and `Infinity` NaN (numpy returns NaN whenever an infinity is a neighbour).
 *
 * The values are not sorted: a multi-select (quickselect recursing only into the parts
 * that hold a wanted rank) places just the ranks needed, in O(n log k) for k percentiles.
 */

/** Ranges at most this long are finished by insertion sort. */
const SMALL = 16;

function insertionSort(a: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= lo && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/** Hoare partition of `a[lo..hi]` around the median of three; returns `j` with `a[lo..j] <= a[j+1..hi]`. */
function partition(a: Float64Array, lo: number, hi: number): number {
  const x = a[lo]!;
  const y = a[(lo + hi) >>> 1]!;
  const z = a[hi]!;
  const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
  let i = lo - 1;
  let j = hi + 1;
  for (;;) {
    do i++;
    while (a[i]! < pivot);
    do j--;
    while (a[j]! > pivot);
    if (i >= j) return j;
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

/**
 * Rearranges `a` (no NaN) so that every rank in `ranks` (ascending, distinct) holds the
 * value a full sort would put there.
 *
 * @example
 * const a = Float64Array.of(5, 1, 4, 2, 3); selectRanks(a, [0, 2]); // a[0] === 1, a[2] === 3
 */
export function selectRanks(a: Float64Array, ranks: readonly number[]): void {
  // Stack of [lo, hi, first rank index, last rank index + 1].
  const stack: number[] = [0, a.length - 1, 0, ranks.length];
  while (stack.length > 0) {
    const kHi = stack.pop()!;
    const kLo = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (kLo >= kHi || lo >= hi) continue;
    if (hi - lo < SMALL) {
      insertionSort(a, lo, hi);
      continue;
    }
    const j = partition(a, lo, hi);
    let split = kLo;
    while (split < kHi && ranks[split]! <= j) split++;
    stack.push(lo, j, kLo, split, j + 1, hi, split, kHi);
  }
}

/**
 * numpy's `_lerp(a, b, t)`; exact neighbours and infinities as documented above.
 *
 * @example
 * lerp(1, 2, 0.25); // 1.25
 * lerp(1, Infinity, 0.5); // Infinity
 */
export function lerp(a: number, b: number, t: number): number {
  if (t === 0 || a === b) return a;
  if (t === 1) return b;
  if (a - a !== 0 || b - b !== 0) return a + b; // an infinity (NaN for -inf with inf)
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * The fractional rank of the `p`-th percentile among `n` values, computed as numpy does
 * (`(n - 1) * (p / 100)`, the quantile first), so that interpolated values match numpy's to the bit.
 *
 * @example
 * virtualIndex(4, 5); // 0.15000000000000002 (numpy.percentile([0, 1, 2, 3], 5) is that value)
 */
export function virtualIndex(n: number, p: number): number {
  return (n - 1) * (p / 100);
}

/**
 * The `p`-th percentile of sorted (or rank-selected) NaN-free values; NaN when empty.
 *
 * @example
 * percentileOfSelected(Float64Array.of(1, 2, 3, 4), 50); // 2.5
 */
export function percentileOfSelected(a: Float64Array, p: number): number {
  const n = a.length;
  if (n === 0) return Number.NaN;
  const h = virtualIndex(n, p);
  const lo = Math.floor(h);
  if (lo >= n - 1) return a[n - 1]!;
  return lerp(a[lo]!, a[lo + 1]!, h - lo);
}

/** The ranks `percentileOfSelected` reads for these percentiles over `n` values. */
function ranksFor(n: number, ps: readonly number[]): number[] {
  const set = new Set<number>();
  for (const p of ps) {
    const h = virtualIndex(n, p);
    const lo = Math.floor(h);
    set.add(Math.min(lo, n - 1));
    if (lo < n - 1 && h > lo) set.add(lo + 1);
  }
  return [...set].sort((x, y) => x - y);
}

/**
 * The values of `values` that are not NaN, in a new array.
 *
 * @example
 * withoutNaN(Float64Array.of(1, NaN, 2)); // Float64Array [1, 2]
 */
export function withoutNaN(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) n++;
  if (n === values.length) return values.slice();
  const out = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return out;
}

/**
 * What a caller may already know of a sample (from `moments`), to save a pass: the number of
 * non-NaN values and their minimum and maximum, which must be finite.
 */
export interface KnownExtent {
  count: number;
  min: number;
  max: number;
}

/** Below this many values, percentiles select on a plain copy. */
const BUCKETED_FROM = 4096;
const BUCKETS = 4096;
const NO_BUCKET = 0xffff;

/**
 * Percentiles `ps` (each in [0, 100]) of `values`, NaN left out; `null` for each when no
 * value is left. The input is not modified. `known` (see {@link KnownExtent}) saves the
 * first pass.
 *
 * Large samples are bucketed first (radix selection): one pass finds the range, one counts
 * values in 4096 equal buckets (a monotonic map, so bucket order is value order), one copies
 * out only the values of the buckets that hold a wanted rank, and the multi-select runs on
 * those alone. Results are exact: the bucketing only narrows where the ranks are searched.
 *
 * @example
 * percentiles(Float64Array.of(1, 2, 3, 4), [25, 50]); // [1.75, 2.5] (as numpy.percentile)
 */
export function percentiles(
  values: Float64Array,
  ps: readonly number[],
  known?: KnownExtent,
): (number | null)[] {
  let n = known?.count ?? 0;
  let min = known?.min ?? Number.POSITIVE_INFINITY;
  let max = known?.max ?? Number.NEGATIVE_INFINITY;
  let infinite = false;
  if (!known) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      n++;
      if (v - v === 0) {
        if (v < min) min = v;
        if (v > max) max = v;
      } else infinite = true;
    }
  }
  if (n === 0) return ps.map(() => null);
  const ranks = ranksFor(n, ps);
  const scale = BUCKETS / (max - min);
  if (n < BUCKETED_FROM || !(scale > 0 && scale < Number.POSITIVE_INFINITY)) {
    const a = withoutNaN(values);
    selectRanks(a, ranks);
    return ps.map((p) => percentileOfSelected(a, p));
  }
  const last = BUCKETS - 1;
  // Each value's bucket, computed once (NaN: NO_BUCKET). Values in [min, max] map to
  // 0..BUCKETS by truncation; +-Infinity (only without a known extent) to the end buckets.
  const bucket = new Uint16Array(values.length);
  const counts = new Int32Array(BUCKETS);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let k: number;
    if (Number.isNaN(v)) k = NO_BUCKET;
    else if (infinite) {
      k = Math.floor((v - min) * scale);
      k = k < 0 ? 0 : k > last ? last : k;
      counts[k]!++;
    } else {
      k = ((v - min) * scale) | 0;
      if (k > last) k = last;
      counts[k]!++;
    }
    bucket[i] = k;
  }
  // For each wanted bucket: where its values start among all ranks, and a slot to collect them.
  const first = new Float64Array(BUCKETS + 1);
  for (let k = 0; k < BUCKETS; k++) first[k + 1] = first[k]! + counts[k]!;
  const slot = new Int32Array(BUCKETS).fill(-1);
  const parts: { bucket: number; values: Float64Array; fill: number }[] = [];
  let b = 0;
  for (const r of ranks) {
    while (first[b + 1]! <= r) b++;
    if (slot[b] === -1) {
      slot[b] = parts.length;
      parts.push({ bucket: b, values: new Float64Array(counts[b]!), fill: 0 });
    }
  }
  for (let i = 0; i < values.length; i++) {
    const k = bucket[i]!;
    if (k === NO_BUCKET) continue;
    const s = slot[k]!;
    if (s >= 0) {
      const part = parts[s]!;
      part.values[part.fill++] = values[i]!;
    }
  }
  const valueAt = new Map<number, number>();
  for (const part of parts) {
    const base = first[part.bucket]!;
    const local = ranks.filter((r) => r >= base && r < base + part.values.length).map((r) => r - base);
    selectRanks(part.values, local);
    for (const r of local) valueAt.set(base + r, part.values[r]!);
  }
  return ps.map((p) => {
    const h = virtualIndex(n, p);
    const lo = Math.floor(h);
    if (lo >= n - 1) return valueAt.get(n - 1)!;
    return lerp(valueAt.get(lo)!, h > lo ? valueAt.get(lo + 1)! : valueAt.get(lo)!, h - lo);
  });
}

/**
 * The key of a percentile in a figures record.
 *
 * @example
 * percentileKey(50); // "p50"
 * percentileKey(99.9); // "p99.9"
 */
export function percentileKey(p: number): string {
  return `p${p}`;
}
