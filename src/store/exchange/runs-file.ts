import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { RunRecord } from "../../core/types.js";
import { csvCell } from "../../results/csv.js";
import { flattenObject } from "../../results/table.js";
import type { SearchFilter } from "../search-methods.js";
import type { Store } from "../types.js";
import { fileSink } from "./byte-sink.js";
import { chunkValue } from "./chunk-column.js";
import { ColumnSpill } from "./column-spill.js";
import { countProgress } from "./progress.js";
import { type RunLineOptions, runLine } from "./run-jsonl.js";
import { writeSpillParquet } from "./table-parquet.js";

/** Options of {@link exportRunsFile}. */
export interface RunsFileOptions extends RunLineOptions {
  format: "parquet" | "jsonl" | "csv";
  /** Only runs of this experiment (`name` or `name:version`). */
  experiment?: string;
  /** Only runs matching this query (either syntax). */
  filter?: SearchFilter;
  /** A progress bar on stderr when it is a TTY. */
  progress?: boolean;
  /** Adds `params_fingerprint`, `seed_fingerprint`, `context_fingerprint` (parquet, csv). */
  includeFingerprints?: boolean;
}

const BASE = ["run_id", "experiment_id", "status", "started_at", "finished_at", "duration_ms"];

/** One run as the flat row of `results.table()` (times as dates, for typed files). */
export function runTableRow(run: RunRecord, includeFingerprints = false): Record<string, unknown> {
  const row: Record<string, unknown> = {
    run_id: run.runId,
    experiment_id: run.experimentId,
    status: run.status,
    started_at: run.startedAt === null ? null : new Date(run.startedAt),
    finished_at: run.finishedAt === null ? null : new Date(run.finishedAt),
    duration_ms: run.durationMs,
  };
  for (const [k, v] of Object.entries(flattenObject(run.params))) row[`param_${k}`] = v;
  for (const [k, v] of Object.entries(run.metrics)) row[`metric_${k}`] = v;
  for (const [k, v] of Object.entries(run.derived)) row[`derived_${k}`] = v;
  if (includeFingerprints) {
    row.params_fingerprint = run.paramsFingerprint;
    row.seed_fingerprint = run.seedFingerprint;
    row.context_fingerprint = run.contextFingerprint;
  }
  return row;
}

/** The columns of a runs table: the base ones, then params, metrics and derived values by name. */
export function runTableColumns(spill: ColumnSpill): string[] {
  const names = [...spill.kinds.keys()];
  const group = (p: string) => names.filter((n) => n.startsWith(p)).sort();
  const fingerprints = ["params_fingerprint", "seed_fingerprint", "context_fingerprint"].filter((n) =>
    spill.kinds.has(n),
  );
  return [...BASE, ...group("param_"), ...group("metric_"), ...group("derived_"), ...fingerprints];
}

/**
 * Writes the runs of a search (oldest first) to one file: `parquet` or `csv` with the columns of
 * `results.table()` (`run_id, experiment_id, status, started_at, finished_at, duration_ms`,
 * `param_<path>`, `metric_<name>`, `derived_<name>`), or `jsonl`, one run per line
 * ({@link runLine}). Streams: memory holds one chunk of runs. Returns the number of runs.
 *
 * @example
 * await exportRunsFile(store, "./runs.parquet", { format: "parquet", filter: "metrics.acc > 0.9" });
 */
export async function exportRunsFile(store: Store, path: string, options: RunsFileOptions): Promise<number> {
  const query = {
    ...(options.experiment === undefined ? {} : { experiment: options.experiment }),
    ...(options.filter === undefined ? {} : { filter: options.filter }),
    sort: "created_at",
  };
  const total = (await store.searchRuns({ ...query, pageSize: 1, fields: [] })).pagination.totalResults;
  const bar = countProgress(`export ${options.format}`, total, Boolean(options.progress));
  try {
    if (options.format === "jsonl") {
      const sink = await fileSink(path);
      let n = 0;
      try {
        for await (const run of store.iterateRuns(query)) {
          await sink.write(Buffer.from(await runLine(store, run as RunRecord, options)));
          n++;
          bar.tick();
        }
        await sink.close();
      } catch (e) {
        await sink.abort();
        throw e;
      }
      return n;
    }
    const spill = new ColumnSpill();
    for (const c of BASE) spill.declare(c);
    try {
      for await (const run of store.iterateRuns(query)) {
        for (const k of Object.keys(run.metrics ?? {})) spill.declare(`metric_${k}`, "double");
        await spill.add(runTableRow(run as RunRecord, options.includeFingerprints));
        bar.tick();
      }
      const names = runTableColumns(spill);
      if (options.format === "csv") await writeCsv(path, spill, names);
      else await writeSpillParquet(path, spill, names);
      return spill.rows;
    } finally {
      spill.dispose();
    }
  } finally {
    bar.done();
  }
}

/** A CSV file (RFC 4180, CRLF) from a spill, chunk by chunk. */
export async function writeCsv(path: string, spill: ColumnSpill, names: readonly string[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const sink = await fileSink(path);
  try {
    await sink.write(Buffer.from(`${names.map(csvCell).join(",")}\r\n`));
    for await (const chunk of spill.chunks()) {
      const cols = names.map((n) => chunk.columns.get(n));
      let text = "";
      for (let i = 0; i < chunk.rows; i++) {
        text += `${cols.map((c) => csvCell(c === undefined ? undefined : chunkValue(c, i))).join(",")}\r\n`;
        if (text.length > 1 << 20) {
          await sink.write(Buffer.from(text));
          text = "";
        }
      }
      await sink.write(Buffer.from(text));
    }
    await sink.close();
  } catch (e) {
    await sink.abort();
    throw e;
  }
}
