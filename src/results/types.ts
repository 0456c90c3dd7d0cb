import type { RunStatus, TagsInput } from "../core/types.js";
import type { SearchFilter } from "../store/search-methods.js";
import type { Run } from "./run.js";

/** Options of {@link Results.fromStore}. */
export interface FromStoreOptions {
  /** `name` (every version) or `name:version`. */
  experiment?: string;
  /** Only runs matching this query, in either syntax; run inside the store (`store.iterateRuns`). */
  filter?: SearchFilter;
  /** The order of the runs, as `-metrics.acc,created_at` (default: oldest first). */
  sort?: string | string[];
}

/**
 * A derived metric: receives a {@link Run} and returns named values (numbers, text, any JSON
 * value). May be async (to read artifacts, data or series).
 *
 * @example
 * const finalLoss: DerivedFn = async (run) => ({ final_loss: (await run.series("loss")).values.at(-1) });
 */
export type DerivedFn = (run: Run) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** A predicate over a field's value; only called for runs that have the field. */
// biome-ignore lint/suspicious/noExplicitAny: a predicate receives whatever JSON value the run holds.
export type FieldPredicate = (value: any) => boolean;

/** A value to compare equal (NaN equals NaN; arrays and objects by content), or a predicate. */
export type FieldTest = FieldPredicate | string | number | boolean | null | readonly unknown[] | object;

/**
 * What {@link Results.filter} keeps: every given criterion must hold. `tags` as a list needs
 * every key present; as a record every key with that value. `params` (dotted paths allowed),
 * `metrics` and `derived` compare in their own namespace: equal values (NaN equals NaN,
 * objects by content), or a predicate per field.
 */
export interface RunFilter {
  status?: RunStatus | readonly RunStatus[];
  tags?: TagsInput;
  params?: Record<string, FieldTest>;
  metrics?: Record<string, number | ((value: number) => boolean)>;
  derived?: Record<string, FieldTest>;
}

/** Options of {@link Results.table}. */
export interface TableOptions {
  /** Adds `params_fingerprint`, `seed_fingerprint`, `context_fingerprint`. */
  includeFingerprints?: boolean;
  /**
   * Derived metrics computed on the fly (not stored), added as `derived_<name>` columns. With
   * the synchronous `table()` each function must return its record at once; use
   * `tableAsync()` for functions that read artifacts, data or series.
   */
  derived?: readonly DerivedFn[];
}

/** One flat row of {@link Results.table}; every row of one table has the same keys in the same order. */
export type TableRow = Record<string, unknown>;

/** Options of {@link Results.toCsv}. */
export interface CsvOptions extends TableOptions {
  /** Adds `_YYYYMMDD_HHMMSS` (UTC) before the extension of a file path. */
  timestamp?: boolean;
}

/**
 * Counts and statistics over numbers: `count` excludes NaN, which is counted in `nanCount` and
 * left out of the rest; `std` is the sample standard deviation (`ddof` 1, as pandas).
 */
export interface NumberStats {
  count: number;
  nanCount: number;
  mean: number | null;
  std: number | null;
  /** Always 1: `std` is the sample standard deviation (divides by `n - 1`). */
  ddof: 1;
  min: number | null;
  max: number | null;
}

/** What {@link Results.summary} returns. */
export interface ResultsSummary {
  total: number;
  byStatus: Record<RunStatus, number>;
  /** Over runs that have a duration (ended runs). */
  durationMs: NumberStats & { median: number | null; total: number };
  /** Per metric name, over the runs that have it. */
  metrics: Record<string, NumberStats>;
}

/** Options of {@link Results.display}. */
export interface DisplayOptions {
  /**
   * Groups runs by these fields (`lr`, `params.lr`, `param_lr`, `status`, `experiment_id`,
   * `tags.<key>`) and shows one row per group with the count and each metric's mean ± std.
   */
  groupBy?: string | readonly string[];
  /** Adds status counts, durations and per-metric statistics below the table (default true). */
  showSummary?: boolean;
  /** Colour; default: only when stdout is a TTY that supports colour. */
  color?: boolean;
  /** Writes the text to stdout (default true); the text is returned either way. */
  print?: boolean;
  /** Cells longer than this are cut with `…` (default 32). */
  maxCellWidth?: number;
}

/** Options of {@link Results.computeDerived}. */
export interface ComputeDerivedOptions {
  /** Replace derived values already stored under the same name (default false: keep them). */
  overwrite?: boolean;
  /** A progress bar on stderr, when it is a TTY. */
  progress?: boolean;
}

/** What {@link Results.computeDerived} did. */
export interface ComputeDerivedReport {
  /** Runs visited. */
  runs: number;
  /** Values written (kept values, when `overwrite` is false, are not counted). */
  written: number;
}
