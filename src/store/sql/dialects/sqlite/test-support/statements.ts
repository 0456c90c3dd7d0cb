import BetterSqlite3 from "better-sqlite3";

/** One statement a test saw run: its SQL text and bound values. */
export interface SeenStatement {
  sql: string;
  params: unknown[];
}

type Method = "all" | "get" | "run" | "iterate";
const METHODS: readonly Method[] = ["all", "get", "run", "iterate"];

/**
 * Records every SQL statement run in this process (by any better-sqlite3 connection) while `fn`
 * runs, for tests that check what a call reads (with {@link queryPlans}).
 *
 * @example
 * const seen = await statementsOf(() => store.searchRuns({ filter: "metrics.acc > 0.5" }));
 */
export async function statementsOf(fn: () => Promise<unknown>): Promise<SeenStatement[]> {
  const probe = new BetterSqlite3(":memory:");
  const proto = Object.getPrototypeOf(probe.prepare("select 1")) as Record<
    Method,
    (...args: unknown[]) => unknown
  > & { source?: string };
  probe.close();
  const seen: SeenStatement[] = [];
  const originals = METHODS.map((m) => proto[m]);
  METHODS.forEach((m, i) => {
    const original = originals[i]!;
    proto[m] = function (this: { source: string }, ...args: unknown[]) {
      seen.push({ sql: this.source, params: args.flat() });
      return original.apply(this, args);
    };
  });
  try {
    await fn();
  } finally {
    METHODS.forEach((m, i) => {
      proto[m] = originals[i]!;
    });
  }
  return seen;
}

/**
 * The `EXPLAIN QUERY PLAN` lines of each statement that reads (one string per statement, its
 * steps joined by ` | `), run on a read-only connection to the database file.
 *
 * @example
 * queryPlans(file, seen); // ["SEARCH r USING COVERING INDEX runs_ws_created (workspace=?) | ..."]
 */
export function queryPlans(file: string, statements: readonly SeenStatement[]): string[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return statements
      .filter((s) => /^\s*(select|with)\b/i.test(s.sql) && !/\btemp\.|\bpragma_/i.test(s.sql))
      .map((s) =>
        (db.prepare(`explain query plan ${s.sql}`).all(...s.params) as { detail: string }[])
          .map((r) => r.detail)
          .join(" | "),
      );
  } finally {
    db.close();
  }
}
