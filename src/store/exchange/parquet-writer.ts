import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { ByteSink } from "./byte-sink.js";
import { type ColumnKind, toParquetValue } from "./column-kind.js";
import type { ColumnChunk } from "./column-spill.js";

/** One column of a Parquet file: its name and kind, and the chunk column it is read from (default `name`). */
export interface ParquetColumn {
  name: string;
  kind: ColumnKind;
  key?: string;
}

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]["schema"][number];

const ELEMENT: Record<ColumnKind, Omit<SchemaElement, "name">> = {
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
 * await file.writeChunk({ rows: 2, columns: new Map([["x", [1, Number.NaN]]]) });
 * await file.close();
 */
export class ParquetFileWriter {
  readonly #sink: ByteSink;
  readonly #columns: readonly ParquetColumn[];
  readonly #writer: ParquetWriter;

  constructor(sink: ByteSink, columns: readonly ParquetColumn[], metadata: Record<string, string> = {}) {
    this.#sink = sink;
    this.#columns = columns;
    const schema: SchemaElement[] = [
      { name: "root", num_children: columns.length },
      ...columns.map((c) => ({ name: c.name, repetition_type: "OPTIONAL" as const, ...ELEMENT[c.kind] })),
    ];
    this.#writer = new ParquetWriter({
      writer: new SinkWriter(sink),
      schema,
      kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      createdBy: "labbook",
    });
  }

  /** Writes one chunk of rows as one row group (columns it lacks are null). */
  async writeChunk(chunk: ColumnChunk): Promise<void> {
    if (chunk.rows === 0) return;
    const columnData = this.#columns.map((c) => {
      const values = chunk.columns.get(c.key ?? c.name);
      const data = new Array(chunk.rows);
      if (values) for (let i = 0; i < chunk.rows; i++) data[i] = toParquetValue(c.kind, values[i]);
      else data.fill(null);
      return { name: c.name, data };
    });
    await this.#writer.write({ columnData, rowGroupSize: chunk.rows });
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
