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
 * The `EXPLAIN QUERY PLAN` of each statement that reads (its steps joined by ` | `), run on a
 * read-only connection to the database file.
 *
 * @example
 * queryPlans(file, seen); // [{ sql: "select ...", plan: "SEARCH r USING INTEGER PRIMARY KEY (rowid=?) | ..." }]
 */
export function queryPlans(
  file: string,
  statements: readonly SeenStatement[],
): { sql: string; plan: string }[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return statements
      .filter((s) => /^\s*(select|with)\b/i.test(s.sql) && !/\btemp\.|\bpragma_/i.test(s.sql))
      .map((s) => ({
        sql: s.sql,
        plan: (db.prepare(`explain query plan ${s.sql}`).all(...s.params) as { detail: string }[])
          .map((r) => r.detail)
          .join(" | "),
      }));
  } finally {
    db.close();
  }
}

/**
 * The steps of a plan that may read more than a few rows per run they are given: scans, sorts
 * into a temporary b-tree, and index searches not keyed by a run (such as every run of a
 * workspace, or a range of metric values). Reading the runs the store has not indexed yet
 * (`rowid>?`, their metrics and derived values by `run_pk>?`, the params of each through
 * `json_tree`) and its change log counts as bounded.
 *
 * @example
 * unboundedSteps("SEARCH r USING INTEGER PRIMARY KEY (rowid=?)"); // []
 */
export function unboundedSteps(plan: string): string[] {
  const steps = plan.split(" | ");
  // A co-routine (a subquery) is scanned as far as its own steps read; a table-valued function
  // (json_tree of one value) reads that value.
  const coroutines = new Set(steps.map((s) => /^CO-ROUTINE (\S+)/.exec(s)?.[1]).filter(Boolean));
  return steps
    .filter((step) => /^(SCAN|SEARCH|USE TEMP B-TREE)/.test(step) && step !== "SCAN CONSTANT ROW")
    .filter(
      (step) => !/^SCAN \S+ VIRTUAL TABLE/.test(step) && !coroutines.has(/^SCAN (\S+)$/.exec(step)?.[1]),
    )
    .filter(
      (step) =>
        !/^SEARCH (run_index|run_changes)\b/.test(step) &&
        !/^SEARCH runs$/.test(step) &&
        !/\((rowid=\?|rowid>\?|run_pk=\?|run_pk>\?|row_pk=\?|workspace=\? AND run_id=\?)/.test(step),
    );
}
