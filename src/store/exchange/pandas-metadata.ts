import type { ColumnKind } from "./column-kind.js";
import type { ParquetColumn } from "./parquet-writer.js";

const PANDAS: Record<ColumnKind, { pandas: string; numpy: string }> = {
  int64: { pandas: "int64", numpy: "int64" },
  double: { pandas: "float64", numpy: "float64" },
  boolean: { pandas: "bool", numpy: "bool" },
  string: { pandas: "unicode", numpy: "object" },
  json: { pandas: "unicode", numpy: "object" },
  timestamp: { pandas: "datetimetz", numpy: "datetime64[ns]" },
  null: { pandas: "empty", numpy: "object" },
};

/**
 * The `pandas` key-value metadata pyarrow writes and reads back, so that
 * `pandas.read_parquet(path).index.names` lists `index` (in order) and every other column is
 * a data column.
 *
 * @example
 * pandasMetadata([{ name: "run_id", kind: "string" }, { name: "acc", kind: "double" }], ["run_id"]);
 */
export function pandasMetadata(columns: readonly ParquetColumn[], index: readonly string[]): string {
  return JSON.stringify({
    index_columns: [...index],
    column_indexes: [
      {
        name: null,
        field_name: null,
        pandas_type: "unicode",
        numpy_type: "object",
        metadata: { encoding: "UTF-8" },
      },
    ],
    columns: columns.map((c) => ({
      name: c.name,
      field_name: c.name,
      pandas_type: PANDAS[c.kind].pandas,
      numpy_type: PANDAS[c.kind].numpy,
      metadata: c.kind === "timestamp" ? { timezone: "UTC" } : null,
    })),
    creator: { library: "labbook", version: "0.1.0" },
    pandas_version: "2.2.0",
  });
}
