/**
 * One column of a chunk of rows, stored by what its values are: numbers, booleans and times
 * in typed arrays with a presence flag per row, strings in an array, anything else (objects,
 * or values of several types in one chunk) as they are. A missing or null value is absent.
 * Plain objects of typed arrays, so a chunk is written to a spill file and read back whole.
 */
export type ChunkColumn =
  | { mode: "num"; values: Float64Array; present: Uint8Array }
  | { mode: "bool"; values: Uint8Array; present: Uint8Array }
  | { mode: "time"; values: Float64Array; present: Uint8Array }
  | { mode: "str"; values: (string | undefined)[] }
  | { mode: "any"; values: unknown[] };

/**
 * A column of `size` rows for values like `v` (not null or undefined).
 *
 * @example
 * const col = chunkColumnFor(0.5, 16_384); // { mode: "num", ... }
 */
export function chunkColumnFor(v: unknown, size: number): ChunkColumn {
  switch (typeof v) {
    case "number":
      return { mode: "num", values: new Float64Array(size), present: new Uint8Array(size) };
    case "boolean":
      return { mode: "bool", values: new Uint8Array(size), present: new Uint8Array(size) };
    case "string":
      return { mode: "str", values: new Array<string | undefined>(size) };
    default:
      if (v instanceof Date)
        return { mode: "time", values: new Float64Array(size), present: new Uint8Array(size) };
      return { mode: "any", values: new Array<unknown>(size) };
  }
}

/**
 * Stores `v` (not null or undefined) at row `i`; returns the column, or a column of mode `any`
 * holding the rows so far when `v` does not fit the column's mode.
 *
 * @example
 * let col = chunkColumnFor(1, 4);
 * col = putChunkValue(col, 0, 1);
 * col = putChunkValue(col, 1, "x"); // now mode "any": [1, "x"]
 */
export function putChunkValue(col: ChunkColumn, i: number, v: unknown): ChunkColumn {
  switch (col.mode) {
    case "num":
      if (typeof v === "number") {
        col.values[i] = v;
        col.present[i] = 1;
        return col;
      }
      break;
    case "str":
      if (typeof v === "string") {
        col.values[i] = v;
        return col;
      }
      break;
    case "bool":
      if (typeof v === "boolean") {
        col.values[i] = v ? 1 : 0;
        col.present[i] = 1;
        return col;
      }
      break;
    case "time":
      if (v instanceof Date) {
        col.values[i] = v.getTime();
        col.present[i] = 1;
        return col;
      }
      break;
    case "any":
      col.values[i] = v;
      return col;
  }
  const values = new Array<unknown>(col.values.length);
  for (let j = 0; j < i; j++) values[j] = chunkValue(col, j);
  values[i] = v;
  return { mode: "any", values };
}

/**
 * The value at row `i` as it was stored (a new `Date` for a time), undefined when absent.
 *
 * @example
 * chunkValue(col, 0);
 */
export function chunkValue(col: ChunkColumn, i: number): unknown {
  switch (col.mode) {
    case "num":
      return col.present[i] ? col.values[i] : undefined;
    case "bool":
      return col.present[i] ? col.values[i] === 1 : undefined;
    case "time":
      return col.present[i] ? new Date(col.values[i]!) : undefined;
    default:
      return col.values[i] ?? undefined;
  }
}
