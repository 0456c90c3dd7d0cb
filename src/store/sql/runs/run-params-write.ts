import { canonicalTaggedJson, sha256Hex } from "../../../core/canonical.js";
import { fromTaggedJson, toTaggedJson } from "../../../core/codec.js";
import { LabbookError } from "../../../core/errors.js";
import { deterministicRunId } from "../../../core/fingerprints.js";
import { checkParamPaths } from "../../../core/param-paths.js";
import { mergeParams } from "../../../core/params-merge.js";
import type { RunParamsPatch } from "../../types.js";
import type { SqlContext } from "../context.js";
import { statement, type TxSteps } from "../write-tx.js";
import { paramLeavesSteps } from "./run-index.js";

/**
 * Merges params into a stored run inside a write transaction (see `mergeParams`): the run's
 * params JSON, its params fingerprint (a run whose id derives from its params keeps the one
 * its id came from) and, when its leaves are written (`indexed`: the run index has passed the run, or there is
 * none), its param leaves.
 * A run whose id derives from its params (the runner's, `runId: "deterministic"`) takes new
 * params but refuses another value for one it has: `FAILED_PRECONDITION` naming the param.
 */
export function* writeParamsSteps(
  ctx: SqlContext,
  pk: number,
  indexed: boolean,
  patch: RunParamsPatch,
): TxSteps<void> {
  const tagged = toTaggedJson(patch.values, "params") as Record<string, unknown>;
  const [run] = yield* statement<{
    run_id: string;
    experiment_name: string;
    experiment_version: string;
    params: string;
    params_fp: string;
    seed_fp: string;
    context_fp: string;
  }>(
    ctx.db
      .selectFrom("runs")
      .select([
        "run_id",
        "experiment_name",
        "experiment_version",
        "params",
        "params_fp",
        "seed_fp",
        "context_fp",
      ])
      .where("id", "=", pk)
      .compile(),
  );
  if (!run) return;
  const merged = mergeParams(
    JSON.parse(run.params) as Record<string, unknown>,
    tagged,
    patch.replace === true,
  );
  const derived =
    run.run_id ===
    deterministicRunId(`${run.experiment_name}:${run.experiment_version}`, {
      paramsFingerprint: run.params_fp,
      seedFingerprint: run.seed_fp,
      contextFingerprint: run.context_fp,
    });
  const changed = [...merged.kept, ...merged.replaced];
  if (derived && changed.length > 0) {
    throw new LabbookError(
      "FAILED_PRECONDITION",
      `params.${changed[0]}: run ${run.run_id} derives its id from its params (a runner run), so a param it has cannot change; new params can be added`,
      { field: `params.${changed[0]}`, details: { runId: run.run_id, params: changed } },
    );
  }
  if (merged.added.length === 0 && merged.replaced.length === 0) return;
  // `{"a.b": 1}` added to `{a: {b: 2}}` would put two leaves on one searchable path.
  checkParamPaths(fromTaggedJson(merged.params) as Record<string, unknown>, "params");
  const params = JSON.stringify(merged.params);
  const paramsFp = derived ? run.params_fp : sha256Hex(canonicalTaggedJson(merged.params));
  yield* statement(
    ctx.db.updateTable("runs").set({ params, params_fp: paramsFp }).where("id", "=", pk).compile(),
  );
  if (!indexed) return; // the run index writes the leaves from the params JSON when it reaches the run
  yield* statement(ctx.db.deleteFrom("run_params").where("run_pk", "=", pk).compile());
  yield* paramLeavesSteps(ctx, [[pk, fromTaggedJson(merged.params)]]);
}
