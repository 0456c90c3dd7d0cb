import { encodeJson, fromTaggedJson } from "../../../core/codec.js";
import { LabbookError } from "../../../core/errors.js";
import { deterministicRunId, runFingerprintsOfTagged } from "../../../core/fingerprints.js";
import { randomRunId } from "../../../core/ids.js";
import type { RunRecord, StartRunInput } from "../../../core/types.js";
import { checkTime, parseExperimentRef } from "../../../core/validate.js";
import { markChecked } from "../../checked.js";
import type { RunCreate, RunWriteBatch } from "../../types.js";
import { checkStartInput } from "../../validate-write.js";
import type { SqlContext } from "../context.js";
import type { SqlDialect } from "../dialects/types.js";
import {
  type InsertSpec,
  insertSteps,
  isUniqueViolation,
  statement,
  type TxSteps,
  writeSteps,
} from "../write-tx.js";
import { DEFAULT_VERSION, ensureExperiment, getExperiment } from "./experiments.js";
import { summarizeNewRun } from "./field-summary-steps.js";
import { readStatus } from "./liveness.js";
import { paramLeavesSteps, syncAfterInsert } from "./run-index.js";
import { deleteRunChildren, runBlobPrefix } from "./runs-delete.js";
import { toRecord } from "./runs-read.js";

/** Experiments known to exist, per database and workspace: they are never deleted. */
const known = new WeakMap<object, Set<string>>();

/** `name:version` of an experiment known to exist (no query, no await): the common case. */
function knownExperiment(ctx: SqlContext, ref: string): string | null {
  const { name, version } = parseRef(ref);
  return version && known.get(ctx.db)?.has(`${ctx.workspace}\u0000${name}:${version}`)
    ? `${name}:${version}`
    : null;
}

async function resolveExperiment(ctx: SqlContext, ref: string): Promise<{ name: string; version: string }> {
  const { name, version } = parseRef(ref);
  if (version) {
    let seen = known.get(ctx.db);
    if (!seen) {
      seen = new Set<string>();
      known.set(ctx.db, seen);
    }
    const key = `${ctx.workspace}\u0000${name}:${version}`;
    if (!seen.has(key)) {
      await ensureExperiment(ctx, { name, version });
      seen.add(key);
    }
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

/** The params JSON of runs prepared here, encoded once (the run row stores it). */
const encodedParams = new WeakMap<RunCreate, string>();

/** Experiment references already parsed (`name:version` to its parts). */
const parsedRefs = new Map<string, { name: string; version?: string }>();

function parseRef(ref: string): { name: string; version?: string } {
  let hit = parsedRefs.get(ref);
  if (!hit) {
    hit = parseExperimentRef(ref);
    if (parsedRefs.size >= 1000) parsedRefs.clear();
    parsedRefs.set(ref, hit);
  }
  return hit;
}

/**
 * Validates a run's input, resolves its experiment and id, and checks that the id is free
 * (unless `ifExists: "replace"`), without writing the run: see {@link Store.prepareRun}.
 */
export function prepareRun(ctx: SqlContext, input: StartRunInput): Promise<RunCreate> {
  try {
    const { tagged, tags } = checkStartInput(input);
    const experimentId = knownExperiment(ctx, input.experiment);
    // The common case (a known experiment, a fresh random id) answers without an await.
    if (experimentId !== null && input.runId === undefined)
      return Promise.resolve(createOf(input, tagged, tags, experimentId));
    return prepareChecked(ctx, input, tagged, tags, experimentId);
  } catch (e) {
    return Promise.reject(e);
  }
}

async function prepareChecked(
  ctx: SqlContext,
  input: StartRunInput,
  tagged: unknown,
  tags: Record<string, string>,
  known: string | null,
): Promise<RunCreate> {
  let experimentId = known;
  if (experimentId === null) {
    const exp = await resolveExperiment(ctx, input.experiment);
    experimentId = `${exp.name}:${exp.version}`;
  }
  const create = createOf(input, tagged, tags, experimentId);
  const runId = create.runId;
  // A fresh random id cannot exist; any other id is checked now and again on insert.
  if (input.ifExists !== "replace" && input.runId !== undefined) {
    const existing = await ctx.db
      .selectFrom("runs")
      .select("status")
      .where("workspace", "=", ctx.workspace)
      .where("run_id", "=", runId)
      .executeTakeFirst();
    if (existing) throw alreadyExists(runId, existing.status);
  }
  return create;
}

/** The prepared run of a checked input whose experiment is resolved (`name:version`). */
function createOf(
  input: StartRunInput,
  tagged: unknown,
  tags: Record<string, string>,
  experimentId: string,
): RunCreate {
  const fp = runFingerprintsOfTagged(tagged, input.seed, input.context);
  // A copy: the run keeps its params as they were at the start, whatever the caller does
  // with its object afterwards (they are fingerprinted now).
  const params = fromTaggedJson(tagged) as Record<string, unknown>;
  const runId =
    input.runId === "deterministic" ? deterministicRunId(experimentId, fp) : (input.runId ?? randomRunId());
  // Built field by field: a spread followed by new keys costs V8 ~1 us per key.
  const create: RunCreate = {
    experiment: experimentId,
    name: input.name,
    params,
    seed: input.seed,
    context: input.context,
    tags,
    runId,
    ifExists: input.ifExists,
    replaceIf: input.replaceIf,
    executionId: input.executionId,
    startedAt: input.startedAt === undefined ? Date.now() : checkTime(input.startedAt, "startedAt"),
    fingerprints: fp,
  };
  encodedParams.set(create, JSON.stringify(tagged));
  return markChecked(create);
}

function alreadyExists(runId: string, status: string): LabbookError {
  return new LabbookError("ALREADY_EXISTS", `run ${runId} already exists (status ${status})`, {
    field: "runId",
    details: { runId, status },
  });
}

/** The run row a prepared run becomes, ended at once when `end` is given. */
export function runRow(ctx: SqlContext, create: RunCreate, end?: RunWriteBatch["end"]) {
  const { name, version } = parseRef(create.experiment);
  const finishedAt = end ? (end.finishedAt ?? Date.now()) : null;
  return {
    workspace: ctx.workspace,
    run_id: create.runId,
    experiment_name: name,
    experiment_version: version as string,
    name: create.name ?? null,
    status: end ? end.status : "running",
    params: encodedParams.get(create) ?? encodeJson(create.params ?? {}, "params"),
    seed: encodeJson(create.seed ?? null, "seed"),
    tags: JSON.stringify(create.tags),
    error: end?.error ? JSON.stringify(end.error) : null,
    created_at: create.startedAt,
    started_at: create.startedAt,
    finished_at: finishedAt,
    duration_ms: finishedAt === null ? null : finishedAt - create.startedAt,
    params_fp: create.fingerprints.paramsFingerprint,
    seed_fp: create.fingerprints.seedFingerprint,
    context_fp: create.fingerprints.contextFingerprint,
    execution_id: create.executionId ?? null,
  };
}

/** The `runs` columns a run is written with, in insert order. */
export const RUN_COLUMNS = [
  "workspace",
  "run_id",
  "experiment_name",
  "experiment_version",
  "name",
  "status",
  "params",
  "seed",
  "tags",
  "error",
  "created_at",
  "started_at",
  "finished_at",
  "duration_ms",
  "params_fp",
  "seed_fp",
  "context_fp",
  "execution_id",
] as const;

/** The run insert of each dialect: its key computed by the dialect, or the column's sequence. */
const runInserts = new WeakMap<SqlDialect, InsertSpec>();

function runsInsert(dialect: SqlDialect): InsertSpec {
  let spec = runInserts.get(dialect);
  if (!spec) {
    spec = {
      table: "runs",
      columns: [...RUN_COLUMNS, "heartbeat_at"],
      ...(dialect.newRunKey ? { computed: { id: dialect.newRunKey } } : {}),
      returning: ["id"],
    };
    runInserts.set(dialect, spec);
  }
  return spec;
}

const TAGS_INSERT: InsertSpec = { table: "run_tags", columns: ["run_pk", "key", "value"] };

/**
 * Inserts a prepared run inside a transaction (replacing a stored one of the same id when
 * asked) and returns its key and the key of the run it replaced.
 */
export function* insertRun(
  ctx: SqlContext,
  create: RunCreate,
  end?: RunWriteBatch["end"],
): TxSteps<{ pk: number; replacedPk: number | null }> {
  const existing =
    create.ifExists === "replace"
      ? (yield* statement<{ id: number; status: string; heartbeat_at: number | null }>(
          ctx.db
            .selectFrom("runs")
            .select(["id", "status", "heartbeat_at"])
            .where("workspace", "=", ctx.workspace)
            .where("run_id", "=", create.runId)
            .compile(),
        ))[0]
      : undefined;
  if (existing && create.replaceIf !== undefined) {
    // A claim: read in the write transaction, so two writers cannot both take the run.
    const status = readStatus(existing.status, existing.heartbeat_at, Date.now() - ctx.heartbeatTimeoutMs);
    if (!create.replaceIf.includes(status)) throw alreadyExists(create.runId, status);
  }
  if (existing) {
    // The stored run steps out of the id index and goes only after the new row exists, so that
    // the new run never takes its key: blobs are kept under (run id, key), and the replaced
    // run's are deleted after the commit. The control character keeps the name out of every valid
    // run id (a NUL would do too, but PostgreSQL text cannot hold one).
    yield* statement(
      ctx.db
        .updateTable("runs")
        .set({ run_id: `${create.runId}\u0001replaced` })
        .where("id", "=", existing.id)
        .compile(),
    );
  }
  const row = runRow(ctx, create, end);
  const values: unknown[] = RUN_COLUMNS.map((c) => row[c]);
  values.push(end ? null : Date.now()); // heartbeat_at: the run's writer is alive now
  let inserted: { id: number } | undefined;
  try {
    [inserted] = yield* insertSteps<{ id: number }>(ctx.db, runsInsert(ctx.dialect), [values]);
  } catch (e) {
    // Another writer took the id between prepareRun and now.
    throw isUniqueViolation(e) ? alreadyExists(create.runId, "unknown") : e;
  }
  const pk = Number(inserted!.id);
  if (ctx.runChanges?.recordsNewRuns)
    yield* ctx.runChanges.recordSteps(existing ? [pk, Number(existing.id)] : [pk]);
  if (existing) {
    yield* deleteRunChildren(ctx, Number(existing.id));
    yield* statement(ctx.db.deleteFrom("runs").where("id", "=", existing.id).compile());
  }
  // With the deferred run index, param leaves are written by the first read that needs them
  // (syncRunIndex); otherwise now.
  if (!ctx.dialect.deferredRunIndex) yield* paramLeavesSteps(ctx, [[pk, create.params ?? {}]]);
  const tagRows = Object.entries(create.tags).map(([key, value]) => [pk, key, value]);
  yield* insertSteps(ctx.db, TAGS_INSERT, tagRows);
  yield* summarizeNewRun(ctx, row, create);
  return { pk, replacedPk: existing ? Number(existing.id) : null };
}

/** Creates a run in status `running` at once; see {@link Store.createRun}. */
export async function createRun(ctx: SqlContext, input: StartRunInput): Promise<RunRecord> {
  const create = await prepareRun(ctx, input);
  const { pk, replacedPk } = await writeSteps(ctx, () => insertRun(ctx, create));
  if (replacedPk !== null) await ctx.blobs.deletePrefix(runBlobPrefix(create.runId, replacedPk));
  await syncAfterInsert(ctx, pk);
  return toRecord({ ...runRow(ctx, create), id: pk, heartbeat_at: null }, {}, {});
}
