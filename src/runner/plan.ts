import { toTaggedJson } from "../core/codec.js";
import { isLabbookError, LabbookError } from "../core/errors.js";
import { deterministicRunId, runFingerprints } from "../core/fingerprints.js";
import type { RunStatus } from "../core/types.js";
import { normalizeTags } from "../core/validate.js";
import type { Store } from "../store/types.js";
import { seedList } from "./define.js";
import { expandParams } from "./param-space.js";
import type { Experiment } from "./types.js";

/** One run of a sweep, with its deterministic id. */
export interface PlannedRun {
  index: number;
  runId: string;
  params: Record<string, unknown>;
  seed: number;
  tags: Record<string, string>;
  /** What the store holds under this id before the launch (absent: `undefined`). */
  stored: RunStatus | undefined;
  /** Whether this launch runs it (`false`: done already, or failed and not asked to rerun). */
  run: boolean;
}

/**
 * Expands an experiment into its runs (configs x seeds), each with the deterministic id of
 * (experiment id, params, seed, context). A config that cannot be stored (a cycle, a function)
 * fails the whole launch before anything runs, naming the config and the path.
 */
export function planRuns(experiment: Experiment, experimentId: string): PlannedRun[] {
  const configs = expandParams(experiment.params);
  const seeds = seedList(experiment.seeds);
  const baseTags = normalizeTags(experiment.tags);
  const out: PlannedRun[] = [];
  const seen = new Set<string>();
  configs.forEach((c, i) => {
    try {
      toTaggedJson(c.params, "params");
    } catch (e) {
      if (!isLabbookError(e)) throw e;
      throw new LabbookError("INVALID_ARGUMENT", `config ${i} of ${experiment.name}: ${e.message}`, {
        field: e.field ?? "params",
        cause: e,
      });
    }
    for (const seed of seeds) {
      const runId = deterministicRunId(experimentId, runFingerprints(c.params, seed, experiment.context));
      if (seen.has(runId)) continue;
      seen.add(runId);
      out.push({
        index: out.length,
        runId,
        params: c.params,
        seed,
        tags: { ...baseTags, ...c.tags },
        stored: undefined,
        run: true,
      });
    }
  });
  return out;
}

/**
 * Marks what a launch runs, from what the store holds: new runs always; with `resume`, runs
 * `cancelled`, `running` or `pending` (interrupted) again, `failed` ones only with
 * `rerunFailed`, never `success`. Without either option a stored run is an error
 * (`ALREADY_EXISTS`), so that nothing is run twice by mistake.
 */
export async function markStored(
  store: Store,
  planned: PlannedRun[],
  options: { resume: boolean; rerunFailed: boolean; experimentId: string },
): Promise<void> {
  const statuses = await store.runStatuses(planned.map((p) => p.runId));
  let present = 0;
  for (const p of planned) {
    p.stored = statuses[p.runId];
    if (p.stored === undefined) continue;
    present++;
    p.run = p.stored === "failed" ? options.rerunFailed : p.stored !== "success";
  }
  if (present > 0 && !options.resume && !options.rerunFailed) {
    throw new LabbookError(
      "ALREADY_EXISTS",
      `${present} of the ${planned.length} runs of ${options.experimentId} are already stored; pass resume: true (--resume) to skip finished runs and run the rest, rerunFailed: true (--rerun-failed) to rerun failures too, or change the version`,
      { field: "resume", details: { present, total: planned.length } },
    );
  }
}
