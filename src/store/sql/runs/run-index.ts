import { type CompiledQuery, type RawBuilder, type SqlBool, sql } from "kysely";
import type { SqlContext } from "../context.js";
import type { SqlDialect } from "../dialects/types.js";
import { appendParamLeaves, flattenParams } from "../shared/encode.js";
import {
  driveSteps,
  type InsertSpec,
  insertRows,
  insertSteps,
  type TxSteps,
  type WriteTx,
} from "../write-tx.js";
import { summarizeIndexedSteps } from "./field-summary-steps.js";

/** The key up to which every run is indexed, as an SQL value. */
export const INDEXED_THROUGH = sql<number>`(select through from run_index where id = 1)`;

/** The up-to-date probe of each database, compiled once (every search asks it). */
const probes = new WeakMap<object, CompiledQuery>();

const PARAMS_INSERT: InsertSpec = {
  table: "run_params",
  columns: ["run_pk", "path", "type", "num", "text"],
  conflict: "nothing",
};

/**
 * Brings the run index up to date: for the runs committed since the last sync, writes their
 * param leaves (`run_params`; a run's commit writes its params once, as the JSON of its row:
 * migration 7) and moves their summary metrics into the metric-value index (`pending = 0`:
 * migrations 6 and 8) and adds them to the field summaries (migration 13), in write transactions of at most `batch` runs, then moves
 * `run_index.through` past them. Answers whether the index now covers every run. A read that
 * filters, sorts, groups or lists fields by params, or ranges or sorts on metric values, calls
 * it first. When it cannot write (a read-only store, or a writer holding the lock past the busy
 * timeout) the runs not yet indexed are left out of params conditions (see
 * {@link paramsIndexed}) and metric searches read without the index: stale by those runs,
 * never wrong.
 *
 * @example
 * await syncRunIndex(store.ctx); // then `params.lr > 0.01` sees every run
 */
export async function syncRunIndex(ctx: SqlContext, batch = BATCH): Promise<boolean> {
  // Without the deferred index every run's leaves and metric values are written with its commit.
  if (!ctx.dialect.deferredRunIndex) return true;
  let probe = probes.get(ctx.db);
  if (!probe) {
    probe = sql`select through, (select max(id) from runs) as top from run_index where id = 1`.compile(
      ctx.db,
    );
    probes.set(ctx.db, probe);
  }
  const [now] = (await ctx.db.executeQuery<{ through: number; top: number | null }>(probe)).rows;
  if (!now || now.top === null || Number(now.top) <= Number(now.through)) return true;
  try {
    for (;;) {
      const done = await ctx.write(async (tx) => {
        const [s] = await tx.query<{ through: number }>(
          sql`select ${INDEXED_THROUGH} as through`.compile(ctx.db),
        );
        const through = Number(s?.through ?? 0);
        const [last] = await tx.query<{ upto: number | null; n: number }>(
          sql`select max(id) as upto, count(*) as n from (select id from runs where id > ${through} order by id limit ${batch}) as b`.compile(
            ctx.db,
          ),
        );
        if (!last || last.upto === null) return true;
        const upto = Number(last.upto);
        // The database flattens what it can (plain JSON params); the store the rest.
        const runs = ctx.paramLeaves
          ? await ctx.paramLeaves(tx, through, upto)
          : await tx.query<{ id: number; params: string }>(
              sql`select id, params from runs where id > ${through} and id <= ${upto}`.compile(ctx.db),
            );
        const leaves: unknown[][] = [];
        for (const r of runs) appendParamLeaves(r.params, Number(r.id), leaves);
        await insertRows(ctx.db, tx, PARAMS_INSERT, leaves);
        // `pending = 1` written out (not bound): the rows leave it for the partial value index.
        await tx.query(
          sql`update run_metrics set pending = 0 where run_pk > ${through} and run_pk <= ${upto} and pending = 1`.compile(
            ctx.db,
          ),
        );
        await driveSteps(summarizeIndexedSteps(ctx, through, upto), tx);
        await tx.query(sql`update run_index set through = ${upto} where id = 1`.compile(ctx.db));
        return Number(last.n) < batch;
      });
      if (done) return true;
    }
  } catch {
    return false;
  }
}

/**
 * Writes the param leaves (`run_params`) of runs, given by key with their params, inside a write
 * transaction (leaves already there are kept).
 *
 * @example
 * await writeParamLeaves(ctx, tx, [[12, { lr: 0.1, model: "b" }]]);
 */
export function writeParamLeaves(
  ctx: SqlContext,
  tx: WriteTx,
  runs: readonly (readonly [pk: number, params: unknown])[],
): Promise<void> {
  return driveSteps(paramLeavesSteps(ctx, runs), tx);
}

/** {@link writeParamLeaves} as steps of a write transaction. */
export function* paramLeavesSteps(
  ctx: SqlContext,
  runs: readonly (readonly [pk: number, params: unknown])[],
): TxSteps<void> {
  const leaves: unknown[][] = [];
  for (const [pk, params] of runs) {
    for (const l of flattenParams(params)) leaves.push([pk, l.path, l.type, l.num, l.text]);
  }
  yield* insertSteps(ctx.db, PARAMS_INSERT, leaves);
}

/** Runs indexed per transaction (their leaves in one statement per ~6,000 values). */
const BATCH = 2_000;

/**
 * Runs a writer lets wait for the run index before it indexes them itself, after its commit:
 * the work of indexing is paid by ingest a batch at a time (about 25 us per run of 5 params and
 * 5 metrics), and the first search after any amount of logging finds at most about this many
 * runs to index (about 0.15 s).
 */
export const WRITER_SYNC_EVERY = 5_000;

/** The highest `run_index.through` each database's writers saw (no query to keep it). */
const seenThrough = new WeakMap<object, number>();

/**
 * After a commit that created the run keyed `pk`: when the runs waiting for the run index have
 * reached {@link WRITER_SYNC_EVERY}, indexes them (see {@link syncRunIndex}), in a write
 * transaction of its own. Costs nothing (no query) the rest of the time.
 *
 * @example
 * const { pk } = await ctx.write((tx) => insertRun(tx, ctx, create));
 * await syncAfterInsert(ctx, pk);
 */
export function syncAfterInsert(ctx: SqlContext, pk: number): Promise<void> {
  if (!ctx.dialect.deferredRunIndex) return DONE;
  const seen = seenThrough.get(ctx.db);
  // The common case answered without an await: most inserts are not the one that syncs.
  if (seen !== undefined && pk - seen < WRITER_SYNC_EVERY) return DONE;
  return syncFromWriter(ctx, pk);
}

const DONE: Promise<void> = Promise.resolve();

async function syncFromWriter(ctx: SqlContext, pk: number): Promise<void> {
  let through = seenThrough.get(ctx.db);
  if (through === undefined) {
    through = await readThrough(ctx);
    seenThrough.set(ctx.db, through);
  }
  if (pk - through < WRITER_SYNC_EVERY) return;
  // One transaction for them all: the metric-value index pages they touch are written once.
  await syncRunIndex(ctx, WRITER_SYNC_EVERY);
  // A failed sync (a busy writer elsewhere) is tried again half a batch later.
  seenThrough.set(ctx.db, Math.max(await readThrough(ctx), pk - WRITER_SYNC_EVERY / 2));
}

async function readThrough(ctx: SqlContext): Promise<number> {
  const [now] = (await sql<{ through: number }>`select ${INDEXED_THROUGH} as through`.execute(ctx.db)).rows;
  return Number(now?.through ?? 0);
}

/**
 * The condition that keeps a params condition to runs whose leaves are written: a run
 * committed by another process after this search's sync is left out (as if the search had run
 * a moment earlier), never matched by a negated condition for want of its leaves. Always true
 * without the deferred run index (every committed run has its leaves).
 *
 * @example
 * paramsIndexed(sqliteDialect, sql.ref("r.id")); // r.id <= (select through from run_index where id = 1)
 */
export function paramsIndexed(dialect: SqlDialect, runKey: ReturnType<typeof sql.ref>): RawBuilder<SqlBool> {
  return dialect.deferredRunIndex ? sql<SqlBool>`${runKey} <= ${INDEXED_THROUGH}` : sql<SqlBool>`(1 = 1)`;
}
