import { type CompiledQuery, type Kysely, sql } from "kysely";
import type { RunChangeFeed, RunChangeMark } from "../../context.js";
import type { Database } from "../../schema.js";
import { changeRecorder } from "../../shared/change-records.js";
import { driveSteps, statement, type WriteTx } from "../../write-tx.js";

/** How much of the log is kept. */
export interface RunChangeLogOptions {
  /** Records kept (default 100,000): a cache older than the oldest recounts. */
  keep?: number;
  /** Records written by one handle between two trims of the log (default 1,000). */
  trimEvery?: number;
}

/**
 * The runs changed since a mark, by any connection or process (migration 11): a write to a run
 * that exists records its key in `run_changes`, in the write's own transaction; a new run needs
 * no record, as its key is above every key before it (`runs` keys only grow), and runs the run
 * index takes in are the keys between two marks of `run_index.through`. So a cache of matches
 * kept by one process follows the writes of every other one run by run, without a recount.
 *
 * @example
 * const feed = sqliteRunChanges(db);
 * const m = await feed.mark(); // { seq: 120, top: 5000, through: 5000 }
 * await feed.changedSince(m, await feed.mark(), 5000); // [] until a run changes
 */
export function sqliteRunChanges(
  db: Kysely<Database>,
  selectArrays?: (q: CompiledQuery) => Promise<{ rows: unknown[][] }>,
  options: RunChangeLogOptions = {},
): RunChangeFeed {
  const keep = options.keep ?? 100_000;
  const trimEvery = options.trimEvery ?? 1_000;
  // Compiled once: a search asks for the mark each time.
  const markQuery =
    sql`select (select max(seq) from run_changes) as s, (select min(seq) from run_changes) as lo, (select max(id) from runs) as top, (select through from run_index where id = 1) as through`.compile(
      db,
    );
  const readMark = async (): Promise<unknown[]> => {
    if (selectArrays) return (await selectArrays(markQuery)).rows[0]!;
    return Object.values((await db.executeQuery(markQuery)).rows[0] as object);
  };
  const trim = sql`delete from run_changes where seq <= (select max(seq) from run_changes) - ${keep}`.compile(
    db,
  );
  const recordSteps = changeRecorder(db, trimEvery, function* () {
    yield* statement(trim);
  });

  return {
    async mark(): Promise<RunChangeMark> {
      const [s, lo, top, through] = await readMark();
      const seq = Number(s ?? 0);
      // The log holds (floor, seq]: a mark at or above the floor can be followed.
      return {
        seq,
        floor: lo === null ? seq : Number(lo) - 1,
        top: Number(top ?? 0),
        through: Number(through),
      };
    },
    async changedSince(from: RunChangeMark, to: RunChangeMark, limit: number): Promise<number[] | null> {
      if (from.seq < to.floor || from.seq > to.seq) return null;
      const keys = new Set<number>();
      for (const [lo, hi] of [
        [from.top, to.top],
        [from.through, to.through],
      ] as const) {
        if (hi - lo > limit) return null;
        for (let k = lo + 1; k <= hi; k++) keys.add(k);
      }
      if (to.seq > from.seq) {
        const { rows } = await sql<{
          run_pk: number;
        }>`select distinct run_pk from run_changes where seq > ${from.seq} and seq <= ${to.seq} limit ${limit + 1}`.execute(
          db,
        );
        for (const r of rows) keys.add(Number(r.run_pk));
      }
      return keys.size > limit ? null : [...keys];
    },
    record(tx: WriteTx, runKeys: readonly number[]): Promise<void> {
      return driveSteps(recordSteps(runKeys), tx);
    },
    recordSteps,
  };
}

/**
 * A token that changes whenever the database may have changed: this connection's total changes
 * and the database's `data_version` (which moves when another connection commits).
 *
 * @example
 * const token = sqliteChangeToken(db);
 * await token(); // "12:3"
 */
export function sqliteChangeToken(db: Kysely<Database>): () => Promise<string> {
  const query = sql<{
    c: number;
    v: number;
  }>`select total_changes() as c, (select data_version from pragma_data_version) as v`.compile(db);
  return async () => {
    const r = (await db.executeQuery(query)).rows[0];
    return r ? `${r.c}:${r.v}` : "";
  };
}
