import semver from "semver";
import { DEFAULT_VERSION } from "../store/sql/runs/experiments.js";
import type { Store } from "../store/types.js";
import type { Experiment } from "./types.js";

const LEVEL = { "bump-patch": "patch", "bump-minor": "minor", "bump-major": "major" } as const;

/**
 * The version a launch runs under. `keep`: the experiment's `version`, else the latest stored
 * version, else `0.1.0`. `bump-*`: the latest stored version bumped (or `version` when it is
 * higher; `version` or `0.1.0` when nothing is stored). A resumed launch never bumps: it
 * continues the latest version (or the given one).
 *
 * @example
 * await resolveVersion(store, experiment, { resume: false }); // "1.3.0" after "1.2.4" with bump-minor
 */
export async function resolveVersion(
  store: Store,
  experiment: Experiment,
  options: { resume: boolean },
): Promise<string> {
  const versions = await store.listVersions(experiment.name);
  const latest = versions[versions.length - 1];
  if (experiment.versioning === "keep" || latest === undefined)
    return experiment.version ?? latest ?? DEFAULT_VERSION;
  if (options.resume) return experiment.version ?? latest;
  const bumped = semver.inc(latest, LEVEL[experiment.versioning]) as string;
  return experiment.version !== undefined && semver.gt(experiment.version, bumped)
    ? experiment.version
    : bumped;
}
