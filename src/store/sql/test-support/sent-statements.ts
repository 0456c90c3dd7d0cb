import type { CompiledQuery, Kysely } from "kysely";
import { vi } from "vitest";

/**
 * The SQL of the statements `fn` sends through `db.executeQuery` (a store handle's Kysely
 * instance), in order: what a call of one handle sends to the database, whatever the dialect.
 *
 * @example
 * const sent = await sentStatements(store.ctx.db, () => store.searchRuns({ filter: "metrics.acc > 0.5" }));
 */
export async function sentStatements<DB>(db: Kysely<DB>, fn: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const original = db.executeQuery.bind(db);
  const spy = vi.spyOn(db, "executeQuery").mockImplementation((q, ...rest) => {
    sent.push((q as CompiledQuery).sql);
    return original(q, ...rest);
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return sent;
}
