import { stringify } from "yaml";
import type { Store } from "../types.js";
import { type ExportTarget, openExportTarget } from "./export-target.js";
import { keysOf, writePlans } from "./layout-files.js";
import { ioSpec } from "./layout-io-spec.js";
import { exportFolder, exportStamp } from "./layout-paths.js";
import { writeRowsFile } from "./layout-rows.js";
import { collectRuns } from "./layout-runs.js";
import { countProgress } from "./progress.js";

/** Options of {@link exportExperiment}. */
export interface ExportExperimentOptions {
  /** `name` or `name:version`. */
  experiment: string;
  /** The version (default: the one in `experiment`, else the latest). */
  version?: string;
  /** A local folder or `s3://bucket/prefix` (or an {@link ExportTarget}). */
  out: string | ExportTarget;
  /** Also write `final/rows.pq` (default true). */
  rows?: boolean;
  /** Also copy each artifact to `results/<name>/<run_id>.<ext>` (default true). */
  artifacts?: boolean;
  /** A progress bar on stderr when it is a TTY. */
  progress?: boolean;
  /** The time stamp of the export folder (default now). */
  at?: Date;
}

/** What {@link exportExperiment} wrote. */
export interface ExperimentExport {
  /** `<name>/v<version>/<stamp>`, as Scythe's `experiment_id`. */
  experimentId: string;
  /** The export's folder (key prefix) under the target root, and its URI. */
  folder: string;
  uri: string;
  /** Key of each file written: `manifest`, `io_spec`, `specs`, `scalars`, `result_file_refs`, `rows`. */
  keys: Record<string, string>;
  runs: number;
  rows: number;
  artifacts: number;
}

/**
 * Writes one experiment version in Scythe's layout under `out`:
 * `<name>/v<version>/<YYYY-MM-DD_HH-MM-SS>/` holding `manifest.yml`, `experiment_io_spec.yml`,
 * `specs.pq` (one row per run, params flattened to dotted columns), `final/scalars.pq` (index
 * `experiment_id, sort_index, run_id` and the scalar params; metrics, derived values and run
 * facts as data), `final/result_file_refs.pq` (the same index; one URI column per artifact
 * name), `final/rows.pq` (row scores) and `results/<name>/<run_id>.<ext>`. Every Parquet file
 * carries pandas metadata naming its index columns. Runs and rows are streamed (a temporary
 * file holds what the file schemas wait for); `manifest.yml` is written last, so an export
 * without one is incomplete. `NOT_FOUND` for an unknown experiment.
 *
 * @example
 * const done = await exportExperiment(store, { experiment: "sweep", out: "./exports" });
 * console.log(done.keys.scalars); // sweep/v1.0.0/2026-01-02_03-04-05/final/scalars.pq
 */
export async function exportExperiment(
  store: Store,
  options: ExportExperimentOptions,
): Promise<ExperimentExport> {
  const [name, refVersion] = options.experiment.split(":") as [string, string | undefined];
  const exp = await store.getExperiment(name, options.version ?? refVersion);
  const target = typeof options.out === "string" ? await openExportTarget(options.out) : options.out;
  const folder = await freeFolder(
    target,
    exportFolder(exp.name, exp.version, exportStamp(options.at ?? new Date())),
  );
  const exportId = folder;
  const keys: Record<string, string> = {
    manifest: `${folder}/manifest.yml`,
    io_spec: `${folder}/experiment_io_spec.yml`,
    specs: `${folder}/specs.pq`,
    scalars: `${folder}/final/scalars.pq`,
    result_file_refs: `${folder}/final/result_file_refs.pq`,
  };
  // The total is counted only for a progress bar (a count of every run of the experiment).
  const total = options.progress
    ? (await store.searchRuns({ experiment: exp.experimentId, pageSize: 1, fields: [] })).pagination
        .totalResults
    : null;
  const bar = countProgress("export runs", total, Boolean(options.progress));
  const pass = await collectRuns(store, target, {
    experiment: exp.experimentId,
    exportId,
    folder,
    artifacts: options.artifacts ?? true,
    keepRuns: options.rows ?? true,
    bar,
  }).finally(() => bar.done());
  const kinds = pass.spill.kinds;
  const indexParams = keysOf(kinds, "P", false).filter((k) => kinds.get(k) !== "json");
  const index = ["i:experiment_id", "i:sort_index", "i:run_id", ...indexParams];
  const scalarDerived = keysOf(kinds, "d").filter((k) => kinds.get(k) !== "json");
  const facts = ["f:run_name", "f:status", "f:started_at", "f:finished_at", "f:duration_ms"];
  const seed = kinds.has("e:seed") ? ["e:seed"] : [];
  try {
    await writePlans(target, pass.spill, [
      { key: keys.specs!, index: index.slice(0, 3), data: [...keysOf(kinds, "p"), ...seed] },
      { key: keys.scalars!, index, data: [...keysOf(kinds, "m"), ...scalarDerived, ...facts] },
      { key: keys.result_file_refs!, index, data: keysOf(kinds, "a") },
    ]);
  } finally {
    pass.spill.dispose();
  }
  let rows = 0;
  if (options.rows ?? true) {
    keys.rows = `${folder}/final/rows.pq`;
    const defs = await store.getMetricDefinitions(exp.experimentId);
    const thresholds = new Map(defs.flatMap((d) => (d.threshold ? [[d.name, d.threshold] as const] : [])));
    const rowBar = countProgress("export rows (runs)", pass.runs.length, Boolean(options.progress));
    const params = indexParams.map((k) => k.slice(2));
    rows = await writeRowsFile(store, target, keys.rows, pass.runs, {
      exportId,
      indexParams: params,
      thresholds,
      bar: rowBar,
    }).finally(() => rowBar.done());
  }
  const artifactNames = keysOf(kinds, "a").map((k) => k.slice(2));
  const spec = await ioSpec(store, exp.name, exp.version, exportId, pass, artifactNames);
  await target.put(keys.io_spec!, Buffer.from(stringify(spec)));
  const executions = (await store.listExecutions(exp.name)).filter(
    (e) => e.experimentVersion === exp.version,
  );
  const manifest = {
    experiment_id: exportId,
    experiment_name: exp.name,
    experiment_version: exp.version,
    execution_id: executions[0]?.executionId ?? null,
    workflow_run_id: executions[0]?.executionId ?? null,
    exported_at: new Date().toISOString(),
    runs: pass.count,
    rows,
    artifacts: pass.artifacts,
    specs_uri: target.uri(keys.specs!),
    io_spec: target.uri(keys.io_spec!),
    scalars_uri: target.uri(keys.scalars!),
    result_file_refs_uri: target.uri(keys.result_file_refs!),
    ...(keys.rows ? { rows_uri: target.uri(keys.rows) } : {}),
  };
  await target.put(keys.manifest!, Buffer.from(stringify(manifest)));
  return {
    experimentId: exportId,
    folder,
    uri: target.uri(folder),
    keys,
    runs: pass.count,
    rows,
    artifacts: pass.artifacts,
  };
}

/** The folder, or `<folder>_2`, `_3`... when an export already used that second. */
async function freeFolder(target: ExportTarget, folder: string): Promise<string> {
  let candidate = folder;
  for (let i = 2; (await target.list(`${candidate}/`)).length > 0; i++) candidate = `${folder}_${i}`;
  return candidate;
}
