import { type CompiledQuery, type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";
import { statement, type TxSteps } from "../write-tx.js";

/**
 * The steps that record changed runs in `run_changes` (the change log of either dialect): one
 * insert per 5,000 keys (the statements of up to 8 keys compiled once), and every `trimEvery`
 * keys recorded by this handle, the dialect's `trim` steps, which keep the log to its latest
 * records.
 *
 * @example
 * const recordSteps = changeRecorder(db, 1_000, function* () { yield* statement(trim); });
 * yield* recordSteps([12, 15]); // inside a write transaction's steps
 */
export function changeRecorder(
  db: Kysely<Database>,
  trimEvery: number,
  trim: () => TxSteps<void>,
): (runKeys: readonly number[]) => TxSteps<void> {
  let recorded = 0;
  const inserts = new Map<number, CompiledQuery>();
  return function* recordSteps(runKeys: readonly number[]): TxSteps<void> {
    for (let i = 0; i < runKeys.length; i += 5_000) {
      const part = runKeys.slice(i, i + 5_000);
      let insert = inserts.get(part.length);
      if (!insert) {
        insert =
          sql`insert into run_changes (run_pk) values ${sql.join(part.map(() => sql`(${0})`))}`.compile(db);
        if (part.length <= 8) inserts.set(part.length, insert);
      }
      yield* statement({ ...insert, parameters: part });
    }
    recorded += runKeys.length;
    if (recorded >= trimEvery) {
      recorded = 0;
      yield* trim();
    }
  };
}
