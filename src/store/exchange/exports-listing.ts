import semver from "semver";
import { LabbookError } from "../../core/errors.js";
import { checkExperimentName } from "../../core/validate.js";
import { type ExportTarget, openExportTarget } from "./export-target.js";

/** One exported version of an experiment and the stamps of its complete exports, oldest first. */
export interface ExportedVersion {
  version: string;
  stamps: string[];
}

/** The files of one export, as Scythe's `latest_results` gives them. */
export interface ExportResults {
  /** `<name>/v<version>/<stamp>`. */
  experimentId: string;
  version: string;
  stamp: string;
  /** Keys under the target root: `manifest`, `io_spec`, `specs`, `scalars`, `result_file_refs`, `rows`. */
  keys: Record<string, string>;
  /** The same files as URIs (`file://...`, `s3://...`). */
  uris: Record<string, string>;
}

const FILES: Record<string, string> = {
  "manifest.yml": "manifest",
  "experiment_io_spec.yml": "io_spec",
  "specs.pq": "specs",
  "final/scalars.pq": "scalars",
  "final/result_file_refs.pq": "result_file_refs",
  "final/rows.pq": "rows",
};

async function targetOf(out: string | ExportTarget): Promise<ExportTarget> {
  return typeof out === "string" ? openExportTarget(out) : out;
}

/**
 * The versions of an experiment exported under `out` (a folder or `s3://bucket/prefix`), in
 * SemVer order, each with the stamps of its complete exports (those with a `manifest.yml`).
 *
 * @example
 * const versions = await listExportVersions("./exports", "sweep"); // [{ version: "1.0.0", stamps: ["2026-01-02_03-04-05"] }]
 */
export async function listExportVersions(
  out: string | ExportTarget,
  experiment: string,
): Promise<ExportedVersion[]> {
  checkExperimentName(experiment, "experiment");
  const target = await targetOf(out);
  const byVersion = new Map<string, string[]>();
  for (const key of await target.list(`${experiment}/`)) {
    const m = /^[^/]+\/v([^/]+)\/([^/]+)\/manifest\.yml$/.exec(key);
    if (!m || !semver.valid(m[1]!)) continue;
    const list = byVersion.get(m[1]!) ?? [];
    list.push(m[2]!);
    byVersion.set(m[1]!, list);
  }
  return [...byVersion]
    .sort(([a], [b]) => semver.compare(a, b))
    .map(([version, stamps]) => ({ version, stamps: stamps.sort() }));
}

/**
 * The highest exported version of an experiment. `NOT_FOUND` when it has no complete export.
 *
 * @example
 * await latestExportVersion("s3://bucket/labbook", "sweep"); // "1.2.0"
 */
export async function latestExportVersion(out: string | ExportTarget, experiment: string): Promise<string> {
  const versions = await listExportVersions(out, experiment);
  const last = versions.at(-1);
  if (!last) throw notFound(experiment);
  return last.version;
}

/**
 * The keys of the latest complete export of an experiment (of its highest version, or of
 * `version`), as Scythe's `latest_results` and `latest_results_for_version`. `NOT_FOUND` when
 * there is none.
 *
 * @example
 * const { keys } = await latestExportResults("./exports", "sweep");
 * keys.scalars; // "sweep/v1.0.0/2026-01-02_03-04-05/final/scalars.pq"
 */
export async function latestExportResults(
  out: string | ExportTarget,
  experiment: string,
  options: { version?: string } = {},
): Promise<ExportResults> {
  const target = await targetOf(out);
  const versions = await listExportVersions(target, experiment);
  const v =
    options.version === undefined ? versions.at(-1) : versions.find((x) => x.version === options.version);
  const stamp = v?.stamps.at(-1);
  if (!v || !stamp) throw notFound(experiment, options.version);
  const folder = `${experiment}/v${v.version}/${stamp}`;
  const keys: Record<string, string> = {};
  for (const key of await target.list(`${folder}/`)) {
    const file = FILES[key.slice(folder.length + 1)];
    if (file) keys[file] = key;
  }
  const uris = Object.fromEntries(Object.entries(keys).map(([k, key]) => [k, target.uri(key)]));
  return { experimentId: folder, version: v.version, stamp, keys, uris };
}

function notFound(experiment: string, version?: string): LabbookError {
  const what = version === undefined ? experiment : `${experiment} version ${version}`;
  return new LabbookError("NOT_FOUND", `no complete export of ${what} found`, {
    field: "experiment",
    details: { experiment, ...(version === undefined ? {} : { version }) },
  });
}
