import { invalid } from "../core/errors.js";
import type { CompareRunsOptions, CompareRunsResult } from "./types.js";

/** Anything that compares runs (a `Store`). */
export interface RunComparer {
  compareRuns(newRunId: string, oldRunId: string, options?: CompareRunsOptions): Promise<CompareRunsResult>;
}

/**
 * One run, named by its id, by an object with a `runId` (a `Run`, a `RunRecord`), or by a
 * collection holding exactly one run (a `Results` of one run).
 */
export type CompareTarget =
  | string
  | { readonly runId: string }
  | { readonly runs: readonly { runId: string }[] };

/** The run id of a {@link CompareTarget}; `INVALID_ARGUMENT` naming `field` otherwise. */
function runIdOf(target: CompareTarget, field: string): string {
  if (typeof target === "string" && target.length > 0) return target;
  if (target && typeof target === "object") {
    if ("runId" in target && typeof target.runId === "string" && target.runId) return target.runId;
    if ("runs" in target && Array.isArray(target.runs)) {
      if (target.runs.length !== 1) {
        throw invalid(field, "must hold exactly one run to compare", `${target.runs.length} runs`);
      }
      return runIdOf(target.runs[0]!, field);
    }
  }
  throw invalid(field, "must be a run id, a run, or results of exactly one run", target);
}

/**
 * Compares the run `self` (new) with `other` (old) through `store.compareRuns`; each side is
 * a run id, a run, or results holding exactly one run. What `Results.compareWith(otherResults
 * | runId)` calls: `compareWith(this.store, this, other, options)`.
 *
 * @example
 * const r = await compareWith(store, newResults, "run-baseline", { maxDrop: 0.02 });
 * console.log(r.verdict);
 */
export async function compareWith(
  store: RunComparer,
  self: CompareTarget,
  other: CompareTarget,
  options?: CompareRunsOptions,
): Promise<CompareRunsResult> {
  return store.compareRuns(runIdOf(self, "self"), runIdOf(other, "other"), options);
}
