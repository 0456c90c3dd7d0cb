import { closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { type ChunkColumn, chunkColumnFor, putChunkValue } from "./chunk-column.js";
import { type ColumnKind, kindOf, widen } from "./column-kind.js";

/** Rows of one chunk, by column (a column absent from the map, or a row absent from a column, is missing). */
export interface ColumnChunk {
  rows: number;
  columns: Map<string, ChunkColumn>;
}

/** A column's place in a spill: its kind over every row so far and its column in the current chunk. */
export interface SpillColumn {
  readonly name: string;
  kind: ColumnKind;
  /** Numbers are `double` (never `int64`). */
  readonly doubles: boolean;
  col: ChunkColumn | null;
}

/** Full chunks kept in memory up to about this many bytes before a spill goes to its temporary file. */
export const SPILL_MEMORY_BYTES = 48 << 20;

/** Rows per chunk: one Parquet row group each. */
export const CHUNK_ROWS = 16_384;

/**
 * Flat rows gathered into column chunks while the columns and their kinds are learned, so that
 * a file whose schema must be known before its first row can be written in one pass over the
 * store. Full chunks stay in memory up to `memoryBytes` (default {@link SPILL_MEMORY_BYTES});
 * past that they go to a temporary file (V8 serialisation) and are read back one at a time by
 * {@link ColumnSpill.chunks}: memory is bounded whatever the number of rows.
 *
 * @example
 * const spill = new ColumnSpill();
 * await spill.add({ run_id: "a", lr: 0.1 });
 * for await (const chunk of spill.chunks()) write(chunk);
 * spill.dispose();
 */
export class ColumnSpill {
  readonly #chunkRows: number;
  /** When set, full chunks go here instead of to the temporary file. */
  sink: ((chunk: ColumnChunk) => Promise<void>) | null = null;
  /** Numbers of columns whose key starts with one of these are `double` (never `int64`). */
  readonly #doubles: readonly string[];
  /** Column names in first-seen order, with their kinds. */
  readonly kinds = new Map<string, ColumnKind>();
  #current: ColumnChunk = { rows: 0, columns: new Map() };
  readonly #byName = new Map<string, SpillColumn>();
  /** The columns holding values in the current chunk. */
  #open: SpillColumn[] = [];
  /** The first full chunks, kept in memory up to `memoryBytes`; the rest go to the file. */
  #kept: ColumnChunk[] = [];
  #keptBytes = 0;
  readonly #memoryBytes: number;
  #dir: string | null = null;
  #fd: number | null = null;
  #spilled = 0;
  rows = 0;

  constructor(options: { chunkRows?: number; doubles?: readonly string[]; memoryBytes?: number } = {}) {
    this.#chunkRows = options.chunkRows ?? CHUNK_ROWS;
    this.#memoryBytes = options.memoryBytes ?? SPILL_MEMORY_BYTES;
    this.#doubles = options.doubles ?? [];
  }

  /** Declares a column (its place in the order) before any value, optionally of a fixed kind. */
  declare(name: string, kind: ColumnKind = "null"): void {
    const c = this.column(name);
    if (c.kind !== kind) {
      c.kind = widen(c.kind, kind);
      this.kinds.set(name, c.kind);
    }
  }

  /**
   * A column by name, for {@link ColumnSpill.put} (a caller writing the same columns row after
   * row keeps them instead of naming them each time). Declares it when new.
   */
  column(name: string): SpillColumn {
    let c = this.#byName.get(name);
    if (c === undefined) {
      c = {
        name,
        kind: "null",
        doubles: this.#doubles.length > 0 && this.#doubles.some((p) => name.startsWith(p)),
        col: null,
      };
      this.#byName.set(name, c);
      this.kinds.set(name, "null");
    }
    return c;
  }

  /** Adds one row (keys are column names; undefined values are missing). */
  async add(row: Record<string, unknown>): Promise<void> {
    for (const name in row) this.set(name, row[name]);
    await this.endRow();
  }

  /** Sets one value of the row being added (ended by {@link ColumnSpill.endRow}). */
  set(name: string, v: unknown): void {
    if (v === undefined) return;
    const c = this.column(name);
    if (v !== null) this.put(c, v);
  }

  /** Sets one value of the row being added in a column got from {@link ColumnSpill.column}. */
  put(c: SpillColumn, v: unknown): void {
    if (v === undefined || v === null) return;
    let k = kindOf(v);
    if (k === "int64" && c.doubles) k = "double";
    if (k !== c.kind) {
      c.kind = c.kind === "null" ? k : widen(c.kind, k);
      this.kinds.set(c.name, c.kind);
    }
    let col = c.col;
    if (col === null) {
      col = chunkColumnFor(v, this.#chunkRows);
      this.#open.push(c);
    }
    const stored = putChunkValue(col, this.#current.rows, v);
    if (stored !== c.col) {
      c.col = stored;
      this.#current.columns.set(c.name, stored);
    }
  }

  /** Ends the row being added. */
  async endRow(): Promise<void> {
    const chunk = this.#current;
    chunk.rows++;
    this.rows++;
    if (chunk.rows >= this.#chunkRows) {
      this.#current = { rows: 0, columns: new Map() };
      for (const c of this.#open) c.col = null;
      this.#open = [];
      if (this.sink) await this.sink(chunk);
      else {
        const bytes = chunkBytes(chunk);
        if (this.#spilled === 0 && this.#keptBytes + bytes <= this.#memoryBytes) {
          this.#kept.push(chunk);
          this.#keptBytes += bytes;
        } else await this.#spill(chunk);
      }
    }
  }

  async #spill(chunk: ColumnChunk): Promise<void> {
    if (this.#fd === null) {
      this.#dir = await mkdtemp(join(tmpdir(), "labbook-export-"));
      this.#fd = openSync(join(this.#dir, "chunks"), "w+");
    }
    const bytes = serialize({ rows: chunk.rows, columns: [...chunk.columns] });
    const head = Buffer.alloc(4);
    head.writeUInt32LE(bytes.byteLength);
    writeSync(this.#fd, head);
    writeSync(this.#fd, bytes);
    this.#spilled++;
  }

  /** The chunks in the order rows were added (those kept in memory, then spilled ones read back one at a time). */
  async *chunks(): AsyncGenerator<ColumnChunk> {
    yield* this.#kept;
    if (this.#fd !== null) {
      let pos = 0;
      const head = Buffer.alloc(4);
      for (let n = 0; n < this.#spilled; n++) {
        readSync(this.#fd, head, 0, 4, pos);
        const size = head.readUInt32LE(0);
        const bytes = Buffer.allocUnsafe(size);
        readSync(this.#fd, bytes, 0, size, pos + 4);
        pos += 4 + size;
        const c = deserialize(bytes) as { rows: number; columns: [string, ChunkColumn][] };
        yield { rows: c.rows, columns: new Map(c.columns) };
      }
    }
    if (this.#current.rows > 0) yield this.#current;
  }

  /** Removes the temporary file. */
  dispose(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    if (this.#dir !== null) rmSync(this.#dir, { recursive: true, force: true });
    this.#fd = null;
    this.#dir = null;
    this.#kept = [];
  }
}

/** About how many bytes a chunk holds (typed arrays, strings at two bytes a character). */
function chunkBytes(chunk: ColumnChunk): number {
  let n = 0;
  for (const col of chunk.columns.values()) {
    if (col.mode === "str") {
      for (let i = 0; i < chunk.rows; i++) n += 16 + 2 * (col.values[i]?.length ?? 0);
    } else if (col.mode === "any") n += 64 * chunk.rows;
    else n += col.values.byteLength + col.present.byteLength;
  }
  return n;
}
