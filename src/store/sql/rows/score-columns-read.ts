import type { ScoreValue } from "../../../core/types.js";
import type { SqlContext } from "../context.js";
import { chunks } from "../shared/encode.js";
import { statement, type TxSteps, writeSteps } from "../write-tx.js";
import { type ChunkRecord, columnOf, decodeChunks, type ScoreColumn } from "./score-chunk-codec.js";
import { RESERVED_COLUMNS, ROWS_COLUMN, writeChunks } from "./score-columns-write.js";

/**
 * A run's scores as columns, one per score name (all names when `names` is omitted), in
 * row-id order. Row ids are read only when asked (`rowPks: true`): without them the value
 * blobs are the only large thing read. Stale chunks are rebuilt first.
 */
export async function readScoreColumns(
  ctx: SqlContext,
  runPk: number,
  options: { names?: readonly string[]; rowPks?: boolean } = {},
): Promise<Map<string, ScoreColumn>> {
  await rebuildIfStale(ctx, runPk);
  const base = ["name", "count", "tags", "nums", "codes", "dict"] as const;
  const rows: (ChunkRecord & { name: string })[] = [];
  const nameLists = options.names ? chunks([...options.names], 500) : [null];
  for (const names of nameLists) {
    const part = await ctx.db
      .selectFrom("score_chunks")
      .select(options.rowPks ? [...base, "row_pks"] : [...base])
      .where("run_pk", "=", runPk)
      .$if(names !== null, (q) => q.where("name", "in", names!))
      .$if(names === null, (q) => q.where("name", "not in", RESERVED_COLUMNS))
      .orderBy("name")
      .orderBy("chunk")
      .execute();
    rows.push(...(part as (ChunkRecord & { name: string })[]));
  }
  const grouped = new Map<string, ChunkRecord[]>();
  for (const r of rows) {
    const list = grouped.get(r.name) ?? [];
    list.push(r);
    grouped.set(r.name, list);
  }
  const out = new Map<string, ScoreColumn>();
  for (const [name, list] of grouped) out.set(name, decodeChunks(list));
  return out;
}

/** The score names a run has, in name order. */
export async function scoreNames(ctx: SqlContext, runPk: number): Promise<string[]> {
  await rebuildIfStale(ctx, runPk);
  const rows = await ctx.db
    .selectFrom("score_chunks")
    .select("name")
    .distinct()
    .where("run_pk", "=", runPk)
    .where("name", "not in", RESERVED_COLUMNS)
    .orderBy("name")
    .execute();
  return rows.map((r) => r.name);
}

/**
 * The number of rows of a run: the entries of its rows column, or (a run written before the
 * column existed) a count of its rows.
 */
export async function runRowCount(ctx: SqlContext, runPk: number): Promise<number> {
  await rebuildIfStale(ctx, runPk);
  const counter = await ctx.db
    .selectFrom("score_chunks")
    .select((eb) => eb.fn.sum<number>("count").as("n"))
    .where("run_pk", "=", runPk)
    .where("name", "=", ROWS_COLUMN)
    .executeTakeFirst();
  if (counter?.n !== null && counter?.n !== undefined) return Number(counter.n);
  const r = await ctx.db
    .selectFrom("run_rows")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("run_pk", "=", runPk)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function rebuildIfStale(ctx: SqlContext, runPk: number): Promise<void> {
  const stale = await ctx.db
    .selectFrom("score_chunks_stale")
    .select("run_pk")
    .where("run_pk", "=", runPk)
    .executeTakeFirst();
  if (stale) await writeSteps(ctx, () => rebuildScoreColumns(ctx, runPk));
}

/** Rebuilds a stale run's chunks from `row_scores` (a no-op when another reader did it first). */
export function* rebuildScoreColumns(ctx: SqlContext, runPk: number): TxSteps<void> {
  const stale = yield* statement(
    ctx.db.selectFrom("score_chunks_stale").select("run_pk").where("run_pk", "=", runPk).compile(),
  );
  if (stale.length === 0) return;
  yield* statement(ctx.db.deleteFrom("score_chunks").where("run_pk", "=", runPk).compile());
  const names = yield* statement<{ name: string }>(
    ctx.db.selectFrom("row_scores").select("name").distinct().where("run_pk", "=", runPk).compile(),
  );
  for (const { name } of names) {
    const rows = yield* statement<{
      row_pk: number;
      type: string;
      num: number | null;
      nan: number;
      text: string | null;
    }>(
      ctx.db
        .selectFrom("row_scores")
        .select(["row_pk", "type", "num", "nan", "text"])
        .where("run_pk", "=", runPk)
        .where("name", "=", name)
        .orderBy("row_pk")
        .compile(),
    );
    const values = rows.map(storedScore);
    yield* writeChunks(
      ctx,
      runPk,
      name,
      columnOf(
        rows.map((r) => Number(r.row_pk)),
        values,
      ),
      0,
    );
  }
  const rows = yield* statement<{ id: number }>(
    ctx.db.selectFrom("run_rows").select("id").where("run_pk", "=", runPk).orderBy("id").compile(),
  );
  if (rows.length > 0) {
    const pks = rows.map((r) => Number(r.id));
    yield* writeChunks(ctx, runPk, ROWS_COLUMN, columnOf(pks, new Array(pks.length).fill(null)), 0);
  }
  yield* statement(ctx.db.deleteFrom("score_chunks_stale").where("run_pk", "=", runPk).compile());
}

function storedScore(r: { type: string; num: number | null; nan: number; text: string | null }): ScoreValue {
  if (r.type === "number") return Number(r.nan) ? Number.NaN : Number(r.num);
  if (r.type === "boolean") return Number(r.num) === 1;
  if (r.type === "string") return r.text;
  return null;
}
