import type { ScoreValue } from "../../../core/types.js";

/** Type tags of a score value in a column. */
export const TAG_NULL = 0;
export const TAG_NUMBER = 1;
export const TAG_BOOLEAN = 2;
export const TAG_STRING = 3;

/**
 * One score of a run as parallel arrays in row-id order: `nums` holds numbers (NaN kept)
 * and booleans as 0/1; `codes` indexes `dict` for strings (-1 otherwise). `rowPks` and
 * `codes` may be empty (length 0) when not read or when there is no string.
 */
export interface ScoreColumn {
  count: number;
  rowPks: Float64Array;
  tags: Uint8Array;
  nums: Float64Array;
  codes: Int32Array;
  dict: string[];
}

/** One stored chunk, as the database holds it. */
export interface ChunkRecord {
  count: number;
  tags: Uint8Array;
  nums: Uint8Array;
  codes: Uint8Array | null;
  dict: string | null;
  row_pks?: Uint8Array;
}

/** A column of the given values, in the given order. */
export function columnOf(rowPks: readonly number[], values: readonly ScoreValue[]): ScoreColumn {
  const n = values.length;
  const col = emptyColumn(n);
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    col.rowPks[i] = rowPks[i]!;
    if (typeof v === "number") {
      col.tags[i] = TAG_NUMBER;
      col.nums[i] = v;
    } else if (typeof v === "boolean") {
      col.tags[i] = TAG_BOOLEAN;
      col.nums[i] = v ? 1 : 0;
    } else if (typeof v === "string") {
      col.tags[i] = TAG_STRING;
      let code = index.get(v);
      if (code === undefined) {
        code = col.dict.length;
        index.set(v, code);
        col.dict.push(v);
      }
      col.codes[i] = code;
    }
  }
  return col;
}

/** A column of `n` entries; row ids and codes are left empty (length 0) when not needed. */
function emptyColumn(n: number, withRowPks = true, withCodes = true): ScoreColumn {
  return {
    count: n,
    rowPks: new Float64Array(withRowPks ? n : 0),
    tags: new Uint8Array(n),
    nums: new Float64Array(n),
    codes: withCodes ? new Int32Array(n).fill(-1) : new Int32Array(0),
    dict: [],
  };
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
/** A Buffer over the same bytes: every driver binds it as a BLOB / bytea. */
const blobOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

const EMPTY = Buffer.alloc(0);

/**
 * The stored form of a column (row ids included). Two blobs may be empty to save reading
 * time: `tags` when every value is a number, and `nums` when no value is a number or a
 * boolean (all strings or nulls).
 */
export function encodeChunk(col: ScoreColumn): Required<ChunkRecord> {
  const hasStrings = col.dict.length > 0;
  let allNumbers = true;
  let anyNumeric = false;
  for (let i = 0; i < col.count; i++) {
    const t = col.tags[i];
    if (t !== TAG_NUMBER) allNumbers = false;
    if (t === TAG_NUMBER || t === TAG_BOOLEAN) anyNumeric = true;
  }
  return {
    count: col.count,
    tags: allNumbers ? EMPTY : blobOf(col.tags),
    nums: anyNumeric ? blobOf(col.nums) : EMPTY,
    codes: hasStrings ? blobOf(col.codes) : null,
    dict: hasStrings ? JSON.stringify(col.dict) : null,
    row_pks: blobOf(col.rowPks),
  };
}

/**
 * Concatenates stored chunks into one column, merging their dictionaries (first seen first).
 * Bytes are copied, so blobs at any alignment are fine. `rowPks` is empty unless the chunks
 * carry row ids; `codes` is empty when no chunk holds a string.
 */
export function decodeChunks(chunks: readonly ChunkRecord[]): ScoreColumn {
  const total = chunks.reduce((n, c) => n + Number(c.count), 0);
  const withRowPks = chunks.some((c) => c.row_pks);
  const col = emptyColumn(
    total,
    withRowPks,
    chunks.some((c) => c.codes),
  );
  const index = new Map<string, number>();
  const tags = col.tags;
  const nums = bytesOf(col.nums);
  const rowPks = bytesOf(col.rowPks);
  let at = 0;
  for (const c of chunks) {
    const n = Number(c.count);
    // An empty tags blob: every value is a number; an empty nums blob: no numeric value.
    if (c.tags.length === 0) tags.fill(TAG_NUMBER, at, at + n);
    else tags.set(c.tags.subarray(0, n), at);
    if (c.nums.length > 0) nums.set(c.nums.subarray(0, n * 8), at * 8);
    if (c.row_pks) rowPks.set(c.row_pks.subarray(0, n * 8), at * 8);
    if (c.codes && c.dict) {
      const local = JSON.parse(c.dict) as string[];
      const remap = local.map((s) => {
        let code = index.get(s);
        if (code === undefined) {
          code = col.dict.length;
          index.set(s, code);
          col.dict.push(s);
        }
        return code;
      });
      const codes = new Int32Array(n);
      bytesOf(codes).set(c.codes.subarray(0, n * 4));
      for (let i = 0; i < n; i++) {
        const k = codes[i]!;
        if (k >= 0) col.codes[at + i] = remap[k]!;
      }
    }
    at += n;
  }
  return col;
}

/** The value of entry `i` as it was logged. */
export function valueAt(col: ScoreColumn, i: number): ScoreValue {
  switch (col.tags[i]) {
    case TAG_NUMBER:
      return col.nums[i]!;
    case TAG_BOOLEAN:
      return col.nums[i] === 1;
    case TAG_STRING:
      return col.dict[col.codes[i]!]!;
    default:
      return null;
  }
}
