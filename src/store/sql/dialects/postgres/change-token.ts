import { type Kysely, sql } from "kysely";
import type { Database } from "../../schema.js";

/**
 * PostgreSQL's change token (see {@link SqlContext.changeToken}): the text of the snapshot of
 * the statement that reads it, `pg_current_snapshot()::text`, that is `xmin:xmax:xip_list`.
 *
 * Why two equal tokens mean the same committed data, from PostgreSQL's documentation of the
 * snapshot components (Functions, "Transaction ID and Snapshot Information Functions"): `xmin`
 * is the lowest transaction ID still active, `xmax` one past the highest completed transaction
 * ID, `xip_list` the transactions in progress at the time of the snapshot; an ID with
 * `xmin <= id < xmax` not in the list had completed (committed or aborted) at that time. A
 * transaction that writes holds an ID from its first write (a read-only one never gets one, so
 * the searches' own token reads change nothing). While it runs, its ID is in `xip_list` or at
 * least `xmax`; once it has completed, every later snapshot has `xmax` above it and does not
 * list it. So any commit between two token reads, by any connection of any process (another
 * replica included), makes the second token differ from the first, and two equal tokens mean
 * that no transaction completed in between. A result computed by statements sent after reading
 * token T (each statement of a read-committed connection takes a snapshot at least as new as
 * the one T came from) is therefore exactly what a search reading T again would compute: it
 * may be served while the token stays T.
 *
 * The list leaves out subtransaction IDs: a subtransaction's writes become visible with its
 * top-level transaction's commit, whose ID (assigned before any of its subtransactions') is
 * listed until then. Prepared (two-phase) transactions are listed until they are committed.
 * On a hot standby (`pg_is_in_recovery()`), snapshots keep the transactions in progress
 * outside the list, so a commit below `xmax` could leave the text unchanged: there the token is
 * `null` and nothing is kept.
 *
 * @example
 * const token = postgresChangeToken(db);
 * await token(); // "1203:1207:1204,1205"
 */
export function postgresChangeToken(db: Kysely<Database>): () => Promise<string | null> {
  const query = sql<{
    t: string;
    r: boolean;
  }>`select pg_current_snapshot()::text as t, pg_is_in_recovery() as r`.compile(db);
  return async () => {
    const row = (await db.executeQuery(query)).rows[0];
    return row && !row.r ? row.t : null;
  };
}
