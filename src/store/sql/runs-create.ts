import { encodeJson, toTaggedJson } from "../../core/codec.js";
import { LabbookError, invalid } from "../../core/errors.js";
import { deterministicRunId, runFingerprints } from "../../core/fingerprints.js";
import { RUN_ID_RE, randomRunId } from "../../core/ids.js";
import type { RunRecord, StartRunInput } from "../../core/types.js";
import { normalizeTags, parseExperimentRef } from "../../core/validate.js";
import type { SqlContext } from "./context.js";
import { chunks, flattenParams } from "./encode.js";
import { DEFAULT_VERSION, ensureExperiment, getExperiment } from "./experiments.js";
import { deleteRunChildren, runBlobPrefix } from "./runs-delete.js";
import { getRun } from "./runs-read.js";

async function resolveExperiment(ctx: SqlContext, ref: string): Promise<{ name: string; version: string }> {
  const { name, version } = parseExperimentRef(ref);
  if (version) {
    await ensureExperiment(ctx, { name, version });
    return { name, version };
  }
  try {
    const e = await getExperiment(ctx, name);
    return { name, version: e.version };
  } catch (e) {
    if (!(e instanceof LabbookError && e.code === "NOT_FOUND")) throw e;
    await ensureExperiment(ctx, { name, version: DEFAULT_VERSION });
    return { name, version: DEFAULT_VERSION };
  }
}

function checkStart(input: StartRunInput) {
  if (input === null || typeof input !== "object") throw invalid("run", "must be an object", input);
  const params = input.params ?? {};
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw invalid("params", "must be an object of JSON-like values", params);
  }
  toTaggedJson(params, "params");
  if (input.seed !== undefined) toTaggedJson(input.seed, "seed");
  if (input.context !== undefined) toTaggedJson(input.context, "context");
  if (input.name !== undefined && input.name !== null && typeof input.name !== "string") {
    throw invalid("name", "must be a string", input.name);
  }
  if (input.runId !== undefined && input.runId !== "deterministic" && !RUN_ID_RE.test(String(input.runId))) {
    throw invalid("runId", "must be 1-64 letters, digits, '_' or '-', or \"deterministic\"", input.runId);
  }
  if (input.ifExists !== undefined && input.ifExists !== "error" && input.ifExists !== "replace") {
    throw invalid("ifExists", 'must be "error" or "replace"', input.ifExists);
  }
  return { params, tags: normalizeTags(input.tags) };
}

/** Creates a run in status `running`; see {@link Store.createRun}. */
export async function createRun(ctx: SqlContext, input: StartRunInput): Promise<RunRecord> {
  const { params, tags } = checkStart(input);
  const exp = await resolveExperiment(ctx, input.experiment);
  const experimentId = `${exp.name}:${exp.version}`;
  const fp = runFingerprints(params, input.seed, input.context);
  const runId =
    input.runId === "deterministic" ? deterministicRunId(experimentId, fp) : (input.runId ?? randomRunId());
  const now = Date.now();
  const leaves = flattenParams(params);
  const replacedPk = await ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("runs")
      .select(["id", "status"])
      .where("workspace", "=", ctx.workspace)
      .where("run_id", "=", runId)
      .executeTakeFirst();
    if (existing) {
      if (input.ifExists !== "replace") {
        throw new LabbookError("ALREADY_EXISTS", `run ${runId} already exists (status ${existing.status})`, {
          field: "runId",
          details: { runId, status: existing.status },
        });
      }
      await deleteRunChildren(trx, existing.id);
      await trx.deleteFrom("runs").where("id", "=", existing.id).execute();
    }
    const inserted = await trx
      .insertInto("runs")
      .values({
        workspace: ctx.workspace,
        run_id: runId,
        experiment_name: exp.name,
        experiment_version: exp.version,
        name: input.name ?? null,
        status: "running",
        params: encodeJson(params, "params"),
        seed: encodeJson(input.seed ?? null, "seed"),
        tags: JSON.stringify(tags),
        error: null,
        created_at: now,
        started_at: now,
        finished_at: null,
        duration_ms: null,
        params_fp: fp.paramsFingerprint,
        seed_fp: fp.seedFingerprint,
        context_fp: fp.contextFingerprint,
        execution_id: input.executionId ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const pk = Number(inserted.id);
    for (const part of chunks(leaves, 500)) {
      await trx
        .insertInto("run_params")
        .values(part.map((l) => ({ run_pk: pk, ...l })))
        .execute();
    }
    const tagRows = Object.entries(tags).map(([key, value]) => ({ run_pk: pk, key, value }));
    if (tagRows.length > 0) await trx.insertInto("run_tags").values(tagRows).execute();
    return existing ? existing.id : null;
  });
  if (replacedPk !== null) await ctx.blobs.deletePrefix(runBlobPrefix(runId, replacedPk));
  return getRun(ctx, runId);
}
