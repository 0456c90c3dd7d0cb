import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { ByteSink } from "./byte-sink.js";
import type { ColumnKind } from "./column-kind.js";
import type { ColumnChunk } from "./column-spill.js";
import { type EncodedColumn, encodeColumnChunk, placeColumnChunk } from "./parquet-column.js";

/** One column of a Parquet file: its name and kind, and the chunk column it is read from (default `name`). */
export interface ParquetColumn {
  name: string;
  kind: ColumnKind;
  key?: string;
}

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]["schema"][number];

/** The schema element of each kind of column. */
export const ELEMENT: Record<ColumnKind, Omit<SchemaElement, "name">> = {
  int64: { type: "INT64" },
  double: { type: "DOUBLE" },
  boolean: { type: "BOOLEAN" },
  string: { type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } },
  // JSON text: read as strings by every reader (a JSON annotation is not read alike by all).
  json: { type: "BYTE_ARRAY", converted_type: "UTF8" },
  timestamp: {
    type: "INT64",
    converted_type: "TIMESTAMP_MILLIS",
    logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" },
  },
  null: { type: "BYTE_ARRAY", converted_type: "UTF8" },
};

/**
 * hyparquet-writer's byte buffer, emptied into a {@link ByteSink} after each row group (the
 * writer awaits the flush before it encodes the next group), so memory holds one row group.
 */
class SinkWriter extends ByteWriter {
  readonly #sink: ByteSink;
  constructor(sink: ByteSink) {
    super(1 << 20);
    this.#sink = sink;
  }
  flush(): Promise<void> {
    const bytes = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    return this.#sink.write(bytes);
  }
  override finish(): Promise<void> {
    return this.flush();
  }
}

/**
 * A Parquet file written row group by row group into a sink: columns of fixed kinds (all
 * optional, so any value may be null), Snappy compression, key-value metadata in the footer.
 *
 * @example
 * const file = new ParquetFileWriter(await fileSink("a.pq"), [{ name: "x", kind: "double" }], { pandas: "{}" });
 * await file.writeChunk({ rows: 2, columns: new Map([["x", { mode: "num", values: new Float64Array([1, Number.NaN]), present: new Uint8Array([1, 1]) }]]) });
 * await file.close();
 */
export class ParquetFileWriter {
  readonly #sink: ByteSink;
  readonly #columns: readonly ParquetColumn[];
  readonly #writer: ParquetWriter;
  readonly #elements: SchemaElement[];

  constructor(sink: ByteSink, columns: readonly ParquetColumn[], metadata: Record<string, string> = {}) {
    this.#sink = sink;
    this.#columns = columns;
    this.#elements = columns.map((c) => ({
      name: c.name,
      repetition_type: "OPTIONAL" as const,
      ...ELEMENT[c.kind],
    }));
    const schema: SchemaElement[] = [{ name: "root", num_children: columns.length }, ...this.#elements];
    this.#writer = new ParquetWriter({
      writer: new SinkWriter(sink),
      schema,
      kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      createdBy: "labbook",
    });
  }

  /**
   * Writes one chunk of rows as one row group (columns it lacks are null), each column encoded
   * from its typed values (see `encodeColumnChunk`); the footer is hyparquet-writer's. Files
   * written from the same chunk pass one `shared` map: a column they have in common (the same
   * chunk column, of the same kind) is encoded once.
   */
  async writeChunk(chunk: ColumnChunk, shared?: Map<string, EncodedColumn>): Promise<void> {
    if (chunk.rows === 0) return;
    const w = this.#writer;
    const start = w.writer.offset;
    const columns = this.#columns.map((c, i) => {
      const key = `${c.key ?? c.name}\u0000${c.kind}`;
      let enc = shared?.get(key);
      if (enc === undefined) {
        enc = encodeColumnChunk(c.kind, chunk.columns.get(c.key ?? c.name), chunk.rows);
        shared?.set(key, enc);
      }
      return placeColumnChunk(w.writer, this.#elements[i]!, enc);
    });
    let size = 0n;
    for (const c of columns) size += c.meta_data?.total_uncompressed_size ?? 0n;
    const rows = BigInt(chunk.rows);
    w.num_rows += rows;
    w.row_groups.push({
      columns,
      total_byte_size: size,
      num_rows: rows,
      total_compressed_size: BigInt(w.writer.offset - start),
    });
    await w.writer.flush?.();
  }

  /** Writes the footer and closes the sink. */
  async close(): Promise<void> {
    await this.#writer.finish();
    await this.#sink.close();
  }

  async abort(): Promise<void> {
    await this.#sink.abort();
  }
}
