import { DuckDBInstance } from "@duckdb/node-api";

/** A Parquet file as an independent reader (DuckDB) sees it. */
export interface ParquetRead {
  /** Rows as plain objects (BIGINT as bigint, TIMESTAMP WITH TIME ZONE as micro-second values). */
  rows: Record<string, unknown>[];
  /** Column name -> DuckDB type (`DOUBLE`, `BIGINT`, `VARCHAR`, `BOOLEAN`, `TIMESTAMP WITH TIME ZONE`). */
  types: Record<string, string>;
  /** Column names in file order. */
  names: string[];
  /** Key-value metadata of the footer. */
  kv: Record<string, string>;
}

let instance: Promise<DuckDBInstance> | null = null;

/**
 * Reads a Parquet file with DuckDB (not the library that wrote it).
 *
 * @example
 * const { rows, types, kv } = await readParquet("/tmp/x/final/scalars.pq");
 */
export async function readParquet(path: string): Promise<ParquetRead> {
  instance ??= DuckDBInstance.create(":memory:");
  const conn = await (await instance).connect();
  try {
    const lit = `'${path.replaceAll("'", "''")}'`;
    const data = await conn.runAndReadAll(`select * from read_parquet(${lit})`);
    const names = data.columnNames();
    const types = Object.fromEntries(names.map((n, i) => [n, data.columnType(i).toString()]));
    const kvRows = await conn.runAndReadAll(
      `select decode(key) as k, decode(value) as v from parquet_kv_metadata(${lit})`,
    );
    const kv = Object.fromEntries(kvRows.getRowObjectsJS().map((r) => [String(r.k), String(r.v)]));
    return { rows: data.getRowObjectsJS() as Record<string, unknown>[], types, names, kv };
  } finally {
    conn.closeSync();
  }
}
