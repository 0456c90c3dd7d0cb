import type { ScoreValue } from "../../../core/types.js";
import type { SqlContext } from "../context.js";
import { type InsertSpec, insertSteps, statement, type TxSteps } from "../write-tx.js";
import {
  type ChunkRecord,
  columnOf,
  decodeChunks,
  encodeChunk,
  type ScoreColumn,
} from "./score-chunk-codec.js";

/** Rows per stored chunk at most. */
export const CHUNK_ROWS = 65_536;
/** A last chunk smaller than this absorbs the next write (so row-at-a-time logging stays compact). */
const MERGE_BELOW = 1024;

const CHUNK_COLUMNS = [
  "run_pk",
  "name",
  "chunk",
  "count",
  "tags",
  "nums",
  "codes",
  "dict",
  "row_pks",
] as const;

/**
 * A reserved column kept beside the scores (score names never hold control characters; the
 * name holds no NUL, which PostgreSQL text refuses: migration 10 renamed the older one): one
 * null entry per row of the run, so that the run's row count and row ids are a few small blob
 * reads instead of a walk over `run_rows`.
 */
export const ROWS_COLUMN = "\u0001row_ids";
export const RESERVED_COLUMNS: readonly string[] = [ROWS_COLUMN];

/** A written row, as the columnar copy needs it. */
export interface WrittenRow {
  rowPk: number;
  scores: Record<string, ScoreValue>;
}

/**
 * The highest row id stored so far. Row ids only grow, so a row id returned by an upsert
 * that is not above this mark belonged to a stored row: the row was replaced.
 */
export function* rowIdWatermark(ctx: SqlContext): TxSteps<number> {
  const [r] = yield* statement<{ m: number | null }>(
    ctx.db
      .selectFrom("run_rows")
      .select((eb) => eb.fn.max("id").as("m"))
      .compile(),
  );
  return r?.m === null || r?.m === undefined ? 0 : Number(r.m);
}

/**
 * Appends written rows' scores to the run's columnar copy, inside the write transaction, and
 * their ids to the rows column. When any row replaced a stored one, the run's chunks are
 * dropped and the run is marked stale instead: the next read rebuilds them from `row_scores`
 * and `run_rows`, so aggregates stay exact.
 */
export function* appendScoreColumns(
  ctx: SqlContext,
  runPk: number,
  rows: readonly WrittenRow[],
  watermark: number,
  created = false,
): TxSteps<void> {
  if (rows.length === 0) return;
  if (rows.some((r) => r.rowPk <= watermark)) {
    yield* statement(ctx.db.deleteFrom("score_chunks").where("run_pk", "=", runPk).compile());
    yield* insertSteps(ctx.db, STALE_INSERT, [[runPk]]);
    return;
  }
  const sorted = [...rows].sort((a, b) => a.rowPk - b.rowPk);
  const byName = new Map<string, { pks: number[]; values: ScoreValue[] }>();
  const pks = sorted.map((r) => r.rowPk);
  byName.set(ROWS_COLUMN, { pks, values: new Array<ScoreValue>(pks.length).fill(null) });
  for (const r of sorted) {
    for (const [name, v] of Object.entries(r.scores)) {
      const e = byName.get(name) ?? { pks: [], values: [] };
      byName.set(name, e);
      e.pks.push(r.rowPk);
      e.values.push(v);
    }
  }
  if (created) {
    // A run created in this transaction has no chunk to extend: every column in one insert.
    const values: unknown[][] = [];
    for (const [name, e] of byName) values.push(...chunkRows(runPk, name, columnOf(e.pks, e.values), 0));
    yield* insertSteps(ctx.db, CHUNKS_INSERT, values);
    return;
  }
  for (const [name, e] of byName) yield* appendColumn(ctx, runPk, name, columnOf(e.pks, e.values));
}

const STALE_INSERT: InsertSpec = { table: "score_chunks_stale", columns: ["run_pk"], conflict: "nothing" };
const CHUNKS_INSERT: InsertSpec = { table: "score_chunks", columns: CHUNK_COLUMNS };

function* appendColumn(ctx: SqlContext, runPk: number, name: string, col: ScoreColumn): TxSteps<void> {
  const [last] = yield* statement<{ chunk: number; count: number }>(
    ctx.db
      .selectFrom("score_chunks")
      .select(["chunk", "count"])
      .where("run_pk", "=", runPk)
      .where("name", "=", name)
      .orderBy("chunk", "desc")
      .limit(1)
      .compile(),
  );
  let next = last ? Number(last.chunk) + 1 : 0;
  let merged = col;
  if (last && Number(last.count) < MERGE_BELOW && Number(last.count) + col.count <= CHUNK_ROWS) {
    const where = ctx.db
      .selectFrom("score_chunks")
      .select(["count", "tags", "nums", "codes", "dict", "row_pks"])
      .where("run_pk", "=", runPk)
      .where("name", "=", name)
      .where("chunk", "=", last.chunk);
    const [stored] = yield* statement<Required<ChunkRecord>>(where.compile());
    merged = decodeChunks([stored!, encodeChunk(col)]);
    next = Number(last.chunk);
    yield* statement(
      ctx.db
        .deleteFrom("score_chunks")
        .where("run_pk", "=", runPk)
        .where("name", "=", name)
        .where("chunk", "=", next)
        .compile(),
    );
  }
  yield* writeChunks(ctx, runPk, name, merged, next);
}

/** Stores a column as chunks numbered from `first`, at most {@link CHUNK_ROWS} rows each. */
export function* writeChunks(
  ctx: SqlContext,
  runPk: number,
  name: string,
  col: ScoreColumn,
  first: number,
): TxSteps<void> {
  for (const v of chunkRows(runPk, name, col, first)) yield* insertSteps(ctx.db, CHUNKS_INSERT, [v]);
}

/** The `score_chunks` rows of a column, numbered from `first`. */
function chunkRows(runPk: number, name: string, col: ScoreColumn, first: number): unknown[][] {
  const values: unknown[][] = [];
  for (let at = 0, k = first; at < col.count; at += CHUNK_ROWS, k++) {
    const end = Math.min(col.count, at + CHUNK_ROWS);
    const part: ScoreColumn = {
      count: end - at,
      rowPks: col.rowPks.subarray(at, end),
      tags: col.tags.subarray(at, end),
      nums: col.nums.subarray(at, end),
      codes: col.codes.subarray(at, end),
      dict: col.dict,
    };
    const c = encodeChunk(part);
    values.push([runPk, name, k, c.count, c.tags, c.nums, c.codes, c.dict, c.row_pks]);
  }
  return values;
}
