import { type CompareTarget, compareWith } from "../compare/compare-with.js";
import type { CompareRunsOptions, CompareRunsResult } from "../compare/types.js";
import type { JsonValue } from "../core/codec.js";
import { fromTaggedJson, toTaggedJson } from "../core/codec.js";
import type { RunRecord } from "../core/types.js";
import { writeTableParquet } from "../store/exchange/table-parquet.js";
import type { SearchFilter } from "../store/search-methods.js";
import type { Store } from "../store/types.js";
import { csvTarget, csvText, writeText } from "./csv.js";
import { decodeArtifact } from "./decode-artifact.js";
import { checkDerivedFns, deriveAsync, deriveSync } from "./derived-values.js";
import { renderDisplay } from "./display.js";
import { ExperimentCache } from "./experiment-cache.js";
import { compileFilter } from "./filter.js";
import { loadRecords } from "./load.js";
import { progressBar } from "./progress.js";
import { Run } from "./run.js";
import { summarize } from "./summary.js";
import { buildTable, tableColumns } from "./table.js";
import type {
  ComputeDerivedOptions,
  ComputeDerivedReport,
  CsvOptions,
  DerivedFn,
  DisplayOptions,
  FromStoreOptions,
  ResultsSummary,
  RunFilter,
  TableOptions,
  TableRow,
} from "./types.js";

/**
 * A list of runs read from a store, oldest first, with filters, a flat table, CSV export, a
 * summary, a terminal display and derived metrics. Filters and slices return new `Results`
 * sharing the same {@link Run} objects.
 *
 * @example
 * const results = await Results.fromStore(store, { experiment: "logreg-sweep" });
 * const best = results.successful.filter({ params: { l2: 0 }, metrics: { test_acc: (v) => v > 0.9 } });
 * console.table(best.table());
 * await results.toCsv("./exports/");   // ./exports/results_20261123_141503.csv
 * results.display({ groupBy: ["lr", "l2"] });
 */
export class Results implements Iterable<Run> {
  readonly #store: Store;
  readonly #runs: readonly Run[];
  readonly #experiments: ExperimentCache;

  /** Wraps records (or runs) of `store`. Most code calls {@link Results.fromStore} instead. */
  constructor(store: Store, runs: readonly (RunRecord | Run)[], experiments?: ExperimentCache) {
    this.#store = store;
    this.#experiments = experiments ?? new ExperimentCache(store);
    this.#runs = runs.map((r) => (r instanceof Run ? r : new Run(r, store, this.#experiments)));
  }

  /**
   * The runs of a store, oldest first: all of them, or those of one experiment (`name`: every
   * version; `name:version`). `NOT_FOUND` for an unknown experiment.
   *
   * @example
   * const all = await Results.fromStore(store);
   * const v1 = await Results.fromStore(store, { experiment: "logreg-sweep:1.0.0" });
   */
  static async fromStore(store: Store, options: FromStoreOptions = {}): Promise<Results> {
    return new Results(store, await loadRecords(store, options));
  }

  /**
   * The runs of this list that match a query in either syntax, evaluated inside the store
   * (`store.iterateRuns`), in this list's order. Chainable with {@link Results.filter}.
   *
   * @example
   * const good = await results.where('metrics.test_acc > 0.85 and params.l2 in (0, 0.01)');
   * const dev = await results.where({ "tags.stage": "dev", "metrics.loss": { $lt: 0.3 } });
   */
  async where(filter: SearchFilter): Promise<Results> {
    const ids = new Set<string>();
    for await (const run of this.#store.iterateRuns({ filter, fields: [] })) ids.add(run.runId);
    return this.#derive(this.#runs.filter((r) => ids.has(r.runId)));
  }

  /**
   * Compares this run (a `Results` holding exactly one run) with another, datapoint by
   * datapoint, through `store.compareRuns`: `other` is a run id, a `Run`, or a `Results` of one
   * run. The result carries per-metric deltas, tests, intervals and the verdict.
   *
   * @example
   * const candidate = await Results.fromStore(store, { filter: 'run_id = "abc"' });
   * const cmp = await candidate.compareWith("baseline-run-id", { maxDrop: 0.01 });
   * if (cmp.verdict === "block") process.exitCode = 1;
   */
  compareWith(other: CompareTarget, options?: CompareRunsOptions): Promise<CompareRunsResult> {
    return compareWith(this.#store, { runs: this.#runs }, other, options);
  }

  /** The store the runs live in. */
  get store(): Store {
    return this.#store;
  }

  get length(): number {
    return this.#runs.length;
  }

  /** The run at `index`; a negative index counts from the end (`at(-1)` is the last). */
  at(index: number): Run | undefined {
    return this.#runs.at(index);
  }

  /** Runs `start` (inclusive) to `end` (exclusive), as `Array.prototype.slice`. */
  slice(start?: number, end?: number): Results {
    return this.#derive(this.#runs.slice(start, end));
  }

  [Symbol.iterator](): Iterator<Run> {
    return this.#runs[Symbol.iterator]();
  }

  /** The runs, as a new array. */
  get runs(): Run[] {
    return [...this.#runs];
  }

  /** The stored records of the runs. */
  get records(): RunRecord[] {
    return this.#runs.map((r) => r.record);
  }

  /** Runs that ended with `success`. */
  get successful(): Results {
    return this.filter({ status: "success" });
  }

  /** Runs that ended with `failed`. */
  get failed(): Results {
    return this.filter({ status: "failed" });
  }

  /**
   * Runs meeting every criterion (or a predicate over a {@link Run}); chainable.
   *
   * @example
   * results.filter({ status: "success", tags: ["baseline"] }).filter({ params: { "optimizer.lr": 0.1 } });
   * results.filter({ metrics: { test_acc: (v) => v >= 0.9 } });
   */
  filter(criteria: RunFilter | ((run: Run) => boolean)): Results {
    const keep = typeof criteria === "function" ? criteria : compileFilter(criteria);
    return this.#derive(this.#runs.filter((r) => keep(r)));
  }

  /**
   * One flat object per run: `run_id, experiment_id, status, started_at, finished_at,
   * duration_ms`, `param_<dotted.path>`, `metric_<name>`, `derived_<name>`, then fingerprints
   * when asked. `derived` functions add columns computed on the fly, without storing them.
   *
   * @example
   * results.table({ derived: [(run) => ({ gap: run.metrics.train_acc! - run.metrics.test_acc! })] });
   */
  table(options: TableOptions = {}): TableRow[] {
    const fns = options.derived === undefined ? [] : checkDerivedFns(options.derived, "derived");
    const extra = fns.length > 0 ? this.#runs.map((r) => deriveSync(r, fns, "derived")) : undefined;
    return buildTable(this.#runs, { includeFingerprints: options.includeFingerprints, extra });
  }

  /**
   * As {@link Results.table}, for `derived` functions that are async (reading artifacts, data,
   * series or rows).
   *
   * @example
   * await results.tableAsync({ derived: [async (run) => ({ best_loss: Math.min(...(await run.series("loss")).values) })] });
   */
  async tableAsync(options: TableOptions = {}): Promise<TableRow[]> {
    const fns = options.derived === undefined ? [] : checkDerivedFns(options.derived, "derived");
    const extra: Record<string, unknown>[] = [];
    if (fns.length > 0) for (const run of this.#runs) extra.push(await deriveAsync(run, fns, "derived"));
    return buildTable(this.#runs, { includeFingerprints: options.includeFingerprints, extra });
  }

  /**
   * The table as CSV text (RFC 4180: CRLF line ends, quoted cells where needed; NaN, Infinity
   * and -Infinity written by name; arrays and objects as JSON).
   */
  async toCsvText(options: TableOptions = {}): Promise<string> {
    const rows = await this.tableAsync(options);
    return csvText(tableColumns(rows, options.includeFingerprints), rows);
  }

  /**
   * Writes the table to a CSV file and returns its absolute path. A directory (existing, or a
   * path ending in `/`) gets `results_YYYYMMDD_HHMMSS.csv` (UTC); `timestamp: true` adds the
   * stamp to a file name too.
   *
   * @example
   * const path = await results.toCsv("./exports/", { includeFingerprints: true });
   */
  async toCsv(path: string, options: CsvOptions = {}): Promise<string> {
    const { timestamp, ...table } = options;
    const target = csvTarget(path, Boolean(timestamp));
    await writeText(target, await this.toCsvText(table));
    return target;
  }

  /**
   * Writes the table to a Parquet file and returns its absolute path: the columns of
   * {@link Results.table}, typed over their values (whole numbers as int64, NaN and infinities
   * as doubles, missing values as nulls, `started_at`/`finished_at` as UTC timestamps), read by
   * pandas, Polars and DuckDB. A directory (existing, or a path ending in `/`) gets
   * `results_YYYYMMDD_HHMMSS.parquet`.
   *
   * @example
   * const path = await results.toParquet("./exports/runs.parquet");
   */
  async toParquet(path: string, options: CsvOptions = {}): Promise<string> {
    const { timestamp, ...table } = options;
    const target = csvTarget(path, Boolean(timestamp), new Date(), ".parquet");
    const rows = await this.tableAsync(table);
    await writeTableParquet(target, rows, tableColumns(rows, table.includeFingerprints));
    return target;
  }

  /**
   * Counts by status, duration statistics, and per metric count, NaN count, mean, std, min, max.
   *
   * @example
   * const s = results.summary(); s.byStatus.success; s.metrics.test_acc?.mean;
   */
  summary(): ResultsSummary {
    return summarize(this.#runs);
  }

  /**
   * Prints (unless `print: false`) and returns a readable table of the runs: params that vary
   * as columns (fixed ones on one line), metrics and derived values, and the summary. With
   * `groupBy`, one row per group with each metric's mean ± std. Colour only on a TTY.
   *
   * @example
   * results.display();
   * results.display({ groupBy: ["lr", "l2"], showSummary: false });
   */
  display(options: DisplayOptions = {}): string {
    const text = renderDisplay(this.#runs, options);
    if (options.print ?? true) process.stdout.write(text);
    return text;
  }

  /**
   * Runs each function on each run and stores the named values it returns beside the run
   * (`store.setDerived`; fingerprints unchanged); `run.derived` shows them at once. Values
   * already stored are kept unless `overwrite` is set. A progress bar on stderr when asked and
   * on a TTY.
   *
   * @example
   * await results.computeDerived([async (run) => ({ final_loss: (await run.series("loss")).values.at(-1) })]);
   * results.at(0)!.derived.final_loss;
   */
  async computeDerived(
    fns: readonly DerivedFn[],
    options: ComputeDerivedOptions = {},
  ): Promise<ComputeDerivedReport> {
    const checked = checkDerivedFns(fns, "fns");
    const overwrite = options.overwrite ?? false;
    const bar = progressBar("derived", this.#runs.length, Boolean(options.progress));
    let written = 0;
    try {
      for (const run of this.#runs) {
        const values = await deriveAsync(run, checked, "fns");
        const fresh = overwrite ? values : omitKeys(values, run.derived);
        if (Object.keys(values).length > 0) {
          await this.#store.setDerived(run.runId, values, { overwrite });
        }
        for (const [name, v] of Object.entries(fresh)) {
          run.record.derived[name] = fromTaggedJson(toTaggedJson(v, `derived.${name}`)) as JsonValue;
          written += 1;
        }
        bar.tick();
      }
    } finally {
      bar.done();
    }
    return { runs: this.#runs.length, written };
  }

  /**
   * An artifact of a run by id, decoded as {@link Run.artifact} does.
   *
   * @example
   * const weights = await results.load(results.at(0)!.runId, "weights");
   */
  async load(runId: string, artifactName: string): Promise<unknown> {
    const { descriptor, bytes } = await this.#store.getArtifact(runId, artifactName);
    return decodeArtifact(descriptor, bytes);
  }

  #derive(runs: readonly Run[]): Results {
    return new Results(this.#store, runs, this.#experiments);
  }
}

function omitKeys(
  values: Record<string, unknown>,
  existing: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !Object.hasOwn(existing, k)));
}
