import { type Kysely, sql } from "kysely";
import type { RunChangeFeed, RunChangeMark } from "../../context.js";
import type { Database } from "../../schema.js";
import { changeRecorder } from "../../shared/change-records.js";
import { driveSteps, statement, type WriteTx } from "../../write-tx.js";
import type { RunChangeLogOptions } from "../sqlite/run-changes.js";

/**
 * PostgreSQL's change feed (migration 15): every write transaction that creates, changes or
 * deletes a run records the run's key in `run_changes` with its transaction id
 * (`pg_current_xact_id()`). A mark is the database's snapshot (`pg_current_snapshot()`); the
 * runs changed since mark M are those of the records whose transaction M does not see: a
 * transaction id at least M's `xmin` and not visible in M (`pg_visible_in_snapshot`), which
 * takes in the transactions in progress when M was taken that committed since, whatever their
 * keys (keys come from a sequence and are not committed in key order, so new runs are recorded
 * too). Records of transactions that committed after the later mark are read as well: a run
 * re-tested twice is tested against what is stored, so that costs nothing but the test.
 *
 * Every `trimEvery` records a handle writes, the records past the most recent `keep` go, and
 * `run_changes_floor` keeps the highest transaction id among them: a mark whose `xmin` is not
 * above it may have lost changes, and is answered `null` (count again). On a hot standby the
 * snapshot leaves transactions in progress out of its list (see change-token.ts): there a mark
 * cannot be followed, and every search counts again.
 *
 * @example
 * const feed = postgresRunChanges(db);
 * const m = await feed.mark(); // { seq: 0, floor: 0, top: 0, through: 0, snapshot: "1203:1207:1204" }
 * await feed.changedSince(m, await feed.mark(), 5000); // [] until a transaction changes a run
 */
export function postgresRunChanges(db: Kysely<Database>, options: RunChangeLogOptions = {}): RunChangeFeed {
  const keep = options.keep ?? 100_000;
  const trimEvery = options.trimEvery ?? 1_000;
  const markQuery = sql<{
    s: string;
    r: boolean;
  }>`select pg_current_snapshot()::text as s, pg_is_in_recovery() as r`.compile(db);
  // The floor row locked first: two handles trimming at once take turns instead of deadlocking.
  const lockFloor = sql`select xid from run_changes_floor where id = 1 for update`.compile(db);
  const trim = sql`with gone as (
      delete from run_changes where seq <= (select max(seq) from run_changes) - ${keep} returning xid
    )
    update run_changes_floor set xid = greatest(xid, coalesce((select max(xid) from gone), xid)) where id = 1`.compile(
    db,
  );
  const recordSteps = changeRecorder(db, trimEvery, function* () {
    yield* statement(lockFloor);
    yield* statement(trim);
  });

  return {
    async mark(): Promise<RunChangeMark> {
      const row = (await db.executeQuery(markQuery)).rows[0];
      return { seq: 0, floor: 0, top: 0, through: 0, snapshot: row && !row.r ? row.s : "" };
    },
    async changedSince(from: RunChangeMark, to: RunChangeMark, limit: number): Promise<number[] | null> {
      if (!from.snapshot || !to.snapshot) return null;
      if (from.snapshot === to.snapshot) return []; // no transaction completed in between
      const { rows } = await sql<{ kept: boolean; keys: (string | number)[] | null }>`select
          (select xid from run_changes_floor where id = 1) < pg_snapshot_xmin(${from.snapshot}::pg_snapshot) as kept,
          array(
            select distinct run_pk from run_changes
            where xid >= pg_snapshot_xmin(${from.snapshot}::pg_snapshot)
              and not pg_visible_in_snapshot(xid, ${from.snapshot}::pg_snapshot)
            limit ${limit + 1}
          ) as keys`.execute(db);
      const r = rows[0];
      if (!r?.kept) return null;
      const keys = (r.keys ?? []).map(Number);
      return keys.length > limit ? null : keys;
    },
    record(tx: WriteTx, runKeys: readonly number[]): Promise<void> {
      return driveSteps(recordSteps(runKeys), tx);
    },
    recordSteps,
    recordsNewRuns: true,
  };
}
