import { type CompiledQuery, type Kysely, sql } from "kysely";
import type { RunChangeFeed, RunChangeMark } from "../../context.js";
import type { Database } from "../../schema.js";

/** The tables a run filter reads, the column holding the run's key, and the updates that count. */
const RUN_TABLES: readonly (readonly [table: string, key: string, updateOf: string])[] = [
  ["runs", "id", "update"],
  ["run_params", "run_pk", "update"],
  // `pending` too: a search that ranges on the index (`pending = 0`) sees a run's value once it moves in.
  ["run_metrics", "run_pk", "update of value, nan, pending"],
  ["run_tags", "run_pk", "update"],
  ["run_derived", "run_pk", "update"],
];

/** Change records kept before the oldest are dropped (a cache older than that recounts). */
const KEEP = 50_000;

/**
 * The runs this connection changes, recorded by temporary triggers (connection-local, in
 * memory, never in the database file) into a temporary table; commits of other connections
 * show as a new `data_version`. Triggers are installed on first use, so a connection that
 * never searches pays nothing on its writes.
 *
 * @example
 * const feed = sqliteRunChanges(db);
 * const m = await feed.mark(); // { epoch: 3, seq: 120 }
 * await feed.changedSince(m.seq, 5000); // [] until this connection writes a run
 */
export function sqliteRunChanges(
  db: Kysely<Database>,
  selectArrays?: (q: CompiledQuery) => Promise<{ rows: unknown[][] }>,
): RunChangeFeed {
  let installed: Promise<void> | null = null;
  let floor = 0;
  // Compiled once: a search asks for the mark each time.
  const markQuery = sql<{
    v: number;
    s: number | null;
    lo: number | null;
  }>`select (select data_version from pragma_data_version) as v, (select max(seq) from temp.lb_changed_runs) as s, (select min(seq) from temp.lb_changed_runs) as lo`.compile(
    db,
  );
  const readMark = async () => {
    if (selectArrays) {
      const row = (await selectArrays(markQuery)).rows[0]!;
      return { v: row[0] as number, s: row[1] as number | null, lo: row[2] as number | null };
    }
    return (await db.executeQuery(markQuery)).rows[0]!;
  };
  const install = async () => {
    await sql`create temp table if not exists lb_changed_runs (seq integer primary key, run_pk integer not null)`.execute(
      db,
    );
    for (const [table, key, updateOf] of RUN_TABLES) {
      for (const op of ["insert", "update", "delete"] as const) {
        const row = op === "delete" ? "old" : "new";
        const event = op === "update" ? updateOf : op;
        await sql
          .raw(
            `create temp trigger if not exists lb_changed_${table}_${op} after ${event} on main.${table} begin insert into lb_changed_runs (run_pk) values (${row}.${key}); end`,
          )
          .execute(db);
      }
    }
  };
  return {
    async mark(): Promise<RunChangeMark> {
      installed ??= install();
      await installed;
      const r = await readMark();
      const seq = Number(r.s ?? floor);
      if (r.lo !== null && seq - Number(r.lo) > KEEP) {
        floor = seq - KEEP / 2;
        await sql`delete from temp.lb_changed_runs where seq <= ${floor}`.execute(db);
      }
      return { epoch: Number(r.v), seq };
    },
    async changedSince(seq: number, limit: number): Promise<number[] | null> {
      if (seq < floor) return null;
      const { rows } = await sql<{
        run_pk: number;
      }>`select distinct run_pk from temp.lb_changed_runs where seq > ${seq} limit ${limit + 1}`.execute(db);
      return rows.length > limit ? null : rows.map((r) => Number(r.run_pk));
    },
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
