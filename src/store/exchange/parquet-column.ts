import type { ColumnChunk as ParquetChunk, SchemaElement } from "hyparquet";
import { writePageHeader } from "hyparquet-writer/src/datapage.js";
import { writeRleBitPackedHybrid } from "hyparquet-writer/src/encoding.js";
import { snappyCompress } from "hyparquet-writer/src/snappy.js";
import type { Writer } from "hyparquet-writer/src/types.js";
import { LabbookError } from "../../core/errors.js";
import { type ChunkColumn, chunkValue } from "./chunk-column.js";
import { type ColumnKind, toParquetValue } from "./column-kind.js";
import { Bytes } from "./parquet-bytes.js";

/** What one column of one row group holds, ready to encode: presence flags and physical values. */
interface Gathered {
  present: Uint8Array;
  nulls: number;
}

const NO_VALUES = new Float64Array(0);

function mismatch(col: ChunkColumn): LabbookError {
  return new LabbookError(
    "INTERNAL",
    `export: a column of ${col.mode} values cannot be written as this type`,
  );
}

/** Presence flags of a typed column (all absent when there is none). */
function presence(col: ChunkColumn | undefined, rows: number): Uint8Array {
  if (col === undefined) return new Uint8Array(rows);
  if (col.mode === "num" || col.mode === "bool" || col.mode === "time") return col.present.subarray(0, rows);
  const p = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) p[i] = col.values[i] === undefined || col.values[i] === null ? 0 : 1;
  return p;
}

function countNulls(present: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < present.length; i++) n += present[i]! ^ 1;
  return n;
}

/** The numbers of a column (`num` or `time` mode), present ones only. */
function numbers(col: ChunkColumn | undefined, g: Gathered): Float64Array {
  if (col === undefined) return NO_VALUES;
  if (col.mode !== "num" && col.mode !== "time") throw mismatch(col);
  const rows = g.present.length;
  if (g.nulls === 0) return col.values.subarray(0, rows);
  const out = new Float64Array(rows - g.nulls);
  let k = 0;
  for (let i = 0; i < rows; i++) if (g.present[i]) out[k++] = col.values[i]!;
  return out;
}

/** The strings a BYTE_ARRAY column writes: strings as they are, anything else as `toParquetValue` spells it. */
function strings(col: ChunkColumn | undefined, kind: ColumnKind, g: Gathered): string[] {
  const out: string[] = [];
  if (col === undefined) return out;
  const rows = g.present.length;
  if (col.mode === "str" && kind !== "json") {
    for (let i = 0; i < rows; i++) if (g.present[i]) out.push(col.values[i]!);
    return out;
  }
  for (let i = 0; i < rows; i++) {
    if (g.present[i]) out.push(String(toParquetValue(kind === "null" ? "json" : kind, chunkValue(col, i))));
  }
  return out;
}

/** Compares strings in UTF-8 byte order (code point order; lone surrogates as U+FFFD). */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i > 0) {
    const prev = a.charCodeAt(i - 1);
    if (prev >= 0xd800 && prev <= 0xdbff) i--;
  }
  while (i < a.length && i < b.length) {
    const x = codePoint(a, i);
    const y = codePoint(b, i);
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

function codePoint(s: string, i: number): number {
  const c = s.codePointAt(i) ?? 0xfffd;
  return c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
}

/** Statistics as hyparquet-writer's metadata writer takes them (its footer encodes them). */
export interface Stats {
  min_value?: number | string | boolean;
  max_value?: number | string | boolean;
  null_count: bigint;
  nan_count?: bigint;
}

function numberStats(values: Float64Array, nulls: number, float: boolean): Stats {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let nans = 0;
  let seen = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) {
      nans++;
      continue;
    }
    seen = true;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const s: Stats = { null_count: BigInt(nulls) };
  if (float) s.nan_count = BigInt(nans);
  if (seen) {
    // Signed zero per the Parquet spec: a zero minimum is -0, a zero maximum +0.
    s.min_value = min === 0 ? -0 : min;
    s.max_value = max === 0 ? 0 : max;
  }
  return s;
}

/** The physical encoding of one column chunk's values. */
interface Encoded {
  encoding: "PLAIN" | "RLE_DICTIONARY";
  values: Uint8Array;
  dictionary?: { bytes: Uint8Array; count: number };
  stats: Stats;
}

/** Whether this machine stores a Float64Array's bytes little-endian, as Parquet does. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

function encodeDoubles(values: Float64Array, nulls: number): Encoded {
  let bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (!LITTLE_ENDIAN) {
    const b = new Bytes(values.length * 8);
    for (let i = 0; i < values.length; i++) b.appendFloat64(values[i]!);
    bytes = b.done();
  }
  return { encoding: "PLAIN", values: bytes, stats: numberStats(values, nulls, true) };
}

/** Whole numbers (safe integers, or milliseconds) as little-endian INT64. */
function encodeInt64(values: Float64Array, nulls: number): Encoded {
  const out = new Bytes(values.length * 8);
  for (let i = 0; i < values.length; i++) out.int64(values[i]!);
  return { encoding: "PLAIN", values: out.done(), stats: numberStats(values, nulls, false) };
}

function encodeBooleans(col: ChunkColumn | undefined, g: Gathered): Encoded {
  const rows = g.present.length;
  const out = new Uint8Array(Math.ceil((rows - g.nulls) / 8));
  let k = 0;
  let any0 = false;
  let any1 = false;
  if (col !== undefined && col.mode !== "bool") throw mismatch(col);
  if (col?.mode === "bool") {
    for (let i = 0; i < rows; i++) {
      if (!g.present[i]) continue;
      if (col.values[i]) {
        out[k >> 3]! |= 1 << (k & 7);
        any1 = true;
      } else any0 = true;
      k++;
    }
  }
  const stats: Stats = { null_count: BigInt(g.nulls) };
  if (any0 || any1) {
    stats.min_value = !any0;
    stats.max_value = any1;
  }
  return { encoding: "PLAIN", values: out, stats };
}

/** Strings, PLAIN (length-prefixed UTF-8) or, when few are distinct, through a dictionary. */
function encodeStrings(values: string[], nulls: number): Encoded {
  const stats: Stats = { null_count: BigInt(nulls) };
  const index = new Map<string, number>();
  const distinct: string[] = [];
  let ids: Uint32Array | null = new Uint32Array(values.length);
  let chars = 0;
  for (let i = 0; i < values.length; i++) {
    const s = values[i]!;
    chars += s.length;
    if (ids === null) continue;
    let id = index.get(s);
    if (id === undefined) {
      id = distinct.length;
      distinct.push(s);
      index.set(s, id);
      // Mostly distinct values (ids, free text): no dictionary.
      if (distinct.length > 64 && distinct.length * 2 > i + 1) ids = null;
    }
    if (ids !== null) ids[i] = id;
  }
  const pool = ids === null ? values : distinct;
  if (pool.length > 0) {
    let min = pool[0]!;
    let max = min;
    for (let i = 1; i < pool.length; i++) {
      const s = pool[i]!;
      if (s !== min && compareStrings(s, min) < 0) min = s;
      else if (s !== max && compareStrings(s, max) > 0) max = s;
    }
    stats.min_value = min;
    stats.max_value = max;
  }
  if (ids !== null && distinct.length > 0) {
    let distinctChars = 0;
    for (const s of distinct) distinctChars += s.length;
    const width = Math.ceil(Math.log2(distinct.length));
    // Kept when the dictionary and its indexes take at most half the plain bytes (as hyparquet-writer decides).
    if (
      2 * (distinctChars + 4 * distinct.length + Math.ceil((values.length * width) / 8)) <=
      chars + 4 * values.length
    ) {
      const dict = new Bytes(distinctChars * 3 + 4 * distinct.length);
      for (const s of distinct) dict.utf8(s);
      const out = new Bytes(8 + Math.ceil((values.length * width) / 8) * 2 + values.length);
      out.u8(width);
      writeRleBitPackedHybrid(out as unknown as Writer, ids, width);
      return {
        encoding: "RLE_DICTIONARY",
        values: out.done(),
        dictionary: { bytes: dict.done(), count: distinct.length },
        stats,
      };
    }
  }
  const out = new Bytes(chars * 3 + 4 * values.length);
  for (const s of values) out.utf8(s);
  return { encoding: "PLAIN", values: out.done(), stats };
}

function encodeValues(col: ChunkColumn | undefined, kind: ColumnKind, g: Gathered): Encoded {
  switch (kind) {
    case "double":
      return encodeDoubles(numbers(col, g), g.nulls);
    case "int64":
    case "timestamp":
      return encodeInt64(numbers(col, g), g.nulls);
    case "boolean":
      return encodeBooleans(col, g);
    default:
      return encodeStrings(strings(col, kind, g), g.nulls);
  }
}

/** Definition levels (bit width 1) as an RLE/bit-packed hybrid run, V2 style (no length prefix). */
function definitionLevels(g: Gathered): Uint8Array {
  const rows = g.present.length;
  if (g.nulls === 0 || g.nulls === rows) {
    const out = new Bytes(8);
    out.varint(rows * 2);
    out.u8(g.nulls === 0 ? 1 : 0);
    return out.done();
  }
  const out = new Bytes(16 + Math.ceil(rows / 8) * 2);
  writeRleBitPackedHybrid(out as unknown as Writer, g.present, 1);
  return out.done();
}

/** One column of one row group encoded: its pages (offsets relative to their start) and its metadata. */
export interface EncodedColumn {
  bytes: Uint8Array;
  dataAt: number;
  dictionaryAt: number | null;
  uncompressed: number;
  rows: number;
  encoding: "PLAIN" | "RLE_DICTIONARY";
  stats: Stats;
}

/**
 * Encodes one column of one row group (a flat OPTIONAL column: one dictionary page when used,
 * then one DATA_PAGE_V2; Snappy) from a typed chunk column. `kind` decides the physical
 * values: `double` DOUBLE, `int64` and `timestamp` INT64 (milliseconds), `boolean` BOOLEAN,
 * others UTF-8 BYTE_ARRAY (`json` as JSON text). The pages do not depend on the column's
 * name, so files sharing a column write the same bytes ({@link placeColumnChunk}).
 *
 * @example
 * const enc = encodeColumnChunk("double", column, 16_384);
 */
export function encodeColumnChunk(
  kind: ColumnKind,
  col: ChunkColumn | undefined,
  rows: number,
): EncodedColumn {
  const present = presence(col, rows);
  const g: Gathered = { present, nulls: countNulls(present) };
  const enc = encodeValues(col, kind, g);
  const levels = definitionLevels(g);
  const packed = snappyCompress(enc.values);
  const dict = enc.dictionary ? { ...enc.dictionary, packed: snappyCompress(enc.dictionary.bytes) } : null;
  const out = new Bytes(64 + levels.length + packed.length + (dict ? dict.packed.length : 0));
  let uncompressed = 0;
  if (dict) {
    writePageHeader(out, {
      type: "DICTIONARY_PAGE",
      uncompressed_page_size: dict.bytes.length,
      compressed_page_size: dict.packed.length,
      dictionary_page_header: { num_values: dict.count, encoding: "PLAIN" },
    });
    uncompressed += out.offset + dict.bytes.length;
    out.appendBytes(dict.packed);
  }
  const dataAt = out.offset;
  writePageHeader(out, {
    type: "DATA_PAGE_V2",
    uncompressed_page_size: levels.length + enc.values.length,
    compressed_page_size: levels.length + packed.length,
    data_page_header_v2: {
      num_values: rows,
      num_nulls: g.nulls,
      num_rows: rows,
      encoding: enc.encoding,
      definition_levels_byte_length: levels.length,
      repetition_levels_byte_length: 0,
      is_compressed: true,
    },
  });
  uncompressed += out.offset - dataAt + levels.length + enc.values.length;
  out.appendBytes(levels);
  out.appendBytes(packed);
  return {
    bytes: out.done(),
    dataAt,
    dictionaryAt: dict ? 0 : null,
    uncompressed,
    rows,
    encoding: enc.encoding,
    stats: enc.stats,
  };
}

/**
 * Appends an encoded column chunk to a file and returns its metadata for the footer.
 *
 * @example
 * const meta = placeColumnChunk(writer, element, encodeColumnChunk("double", column, 16_384));
 */
export function placeColumnChunk(writer: Writer, element: SchemaElement, enc: EncodedColumn): ParquetChunk {
  const start = writer.offset;
  writer.appendBytes(enc.bytes);
  const dictionary = enc.dictionaryAt !== null;
  return {
    file_offset: BigInt(start),
    meta_data: {
      type: element.type!,
      encodings: dictionary ? ["PLAIN", "RLE_DICTIONARY"] : [enc.encoding],
      path_in_schema: [element.name],
      codec: "SNAPPY",
      num_values: BigInt(enc.rows),
      total_uncompressed_size: BigInt(enc.uncompressed),
      total_compressed_size: BigInt(enc.bytes.length),
      data_page_offset: BigInt(start + enc.dataAt),
      ...(dictionary ? { dictionary_page_offset: BigInt(start + enc.dictionaryAt!) } : {}),
      statistics: enc.stats as never,
      encoding_stats: [
        ...(dictionary
          ? [{ page_type: "DICTIONARY_PAGE" as const, encoding: "PLAIN" as const, count: 1 }]
          : []),
        { page_type: "DATA_PAGE_V2" as const, encoding: enc.encoding, count: 1 },
      ],
    },
  };
}
