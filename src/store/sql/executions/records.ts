import { randomUUID } from "node:crypto";
import { LabbookError } from "../../../core/errors.js";
import { isoOrNull } from "../../../core/ids.js";
import { checkOptions, type KnownKeys } from "../../../core/known-keys.js";
import { checkExperimentName } from "../../../core/validate.js";
import type {
  CreateExecutionInput,
  ExecutionManifest,
  ExecutionRecord,
  ExecutionRef,
  ExecutionStatus,
  ImportExecutionInput,
} from "../../execution-methods.js";
import type { SqlContext } from "../context.js";
import { getExperiment } from "../runs/experiments.js";
import type { ExecutionsTable } from "../schema.js";

const STATUSES: readonly ExecutionStatus[] = ["running", "finished", "interrupted"];
/** An imported record may also be `crashed` (a merge copies it as it is). */
const IMPORTED: readonly ExecutionStatus[] = [...STATUSES, "crashed"];
export const EXECUTION_ID_RE = /^\d{8}_\d{6}(_\d+)?$/;

/** `YYYYMMDD_HHMMSS` of a time, in UTC. */
export function executionStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

export function checkExecutionId(id: unknown, field = "executionId"): string {
  if (typeof id !== "string" || !EXECUTION_ID_RE.test(id)) {
    throw new LabbookError(
      "INVALID_ARGUMENT",
      `${field}: must look like YYYYMMDD_HHMMSS (optionally _N); received ${JSON.stringify(id)}`,
      { field },
    );
  }
  return id;
}

export function toExecution(r: ExecutionsTable): ExecutionRecord {
  return {
    experimentId: `${r.experiment_name}:${r.experiment_version}`,
    experimentName: r.experiment_name,
    experimentVersion: r.experiment_version,
    executionId: r.execution_id,
    uid: r.uid,
    status: r.status as ExecutionStatus,
    startedAt: isoOrNull(Number(r.started_at)) as string,
    finishedAt: isoOrNull(r.finished_at === null ? null : Number(r.finished_at)),
    manifest: r.manifest === null ? null : (JSON.parse(r.manifest) as ExecutionManifest),
  };
}

async function insert(ctx: SqlContext, row: ExecutionsTable): Promise<boolean> {
  const res = await ctx.db
    .insertInto("executions")
    .values(row)
    .onConflict((oc) => oc.columns(["workspace", "experiment_name", "execution_id"]).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Starts an execution with a unique time-stamped id; see {@link ExecutionMethods.createExecution}. */
const CREATE_KEYS = { experiment: true, startedAt: true } as const satisfies KnownKeys<CreateExecutionInput>;
const IMPORT_KEYS = {
  experiment: true,
  executionId: true,
  uid: true,
  status: true,
  startedAt: true,
  finishedAt: true,
  manifest: true,
} as const satisfies KnownKeys<ImportExecutionInput>;
const PATCH_KEYS = { status: true, finishedAt: true, manifest: true } as const;

export async function createExecution(
  ctx: SqlContext,
  input: CreateExecutionInput,
): Promise<ExecutionRecord> {
  checkOptions(input, CREATE_KEYS, "createExecution");
  const [name, version] = input.experiment.split(":");
  const exp = await getExperiment(ctx, name ?? "", version);
  const startedAt = input.startedAt ?? Date.now();
  const stamp = executionStamp(startedAt);
  for (let n = 1; n < 10_000; n++) {
    const row: ExecutionsTable = {
      workspace: ctx.workspace,
      experiment_name: exp.name,
      execution_id: n === 1 ? stamp : `${stamp}_${n}`,
      experiment_version: exp.version,
      uid: randomUUID(),
      status: "running",
      started_at: startedAt,
      finished_at: null,
      manifest: null,
      heartbeat_at: null, // none until its runner sends one: only executions kept alive can crash
    };
    if (await insert(ctx, row)) return toExecution(row);
  }
  throw new LabbookError(
    "INTERNAL",
    `could not allocate an execution id for ${exp.experimentId} at ${stamp}`,
  );
}

/** Copies an execution record verbatim; `ALREADY_EXISTS` when its id is taken. */
export async function importExecution(
  ctx: SqlContext,
  input: ImportExecutionInput,
): Promise<ExecutionRecord> {
  checkOptions(input, IMPORT_KEYS, "importExecution");
  const [name, version] = input.experiment.split(":");
  const exp = await getExperiment(ctx, name ?? "", version);
  if (!IMPORTED.includes(input.status)) {
    throw new LabbookError("INVALID_ARGUMENT", `status: must be one of ${IMPORTED.join(", ")}`, {
      field: "status",
    });
  }
  const row: ExecutionsTable = {
    workspace: ctx.workspace,
    experiment_name: exp.name,
    execution_id: checkExecutionId(input.executionId),
    experiment_version: exp.version,
    uid: input.uid,
    status: input.status,
    started_at: input.startedAt,
    finished_at: input.finishedAt,
    manifest: input.manifest === null ? null : JSON.stringify(input.manifest),
    heartbeat_at: null,
  };
  if (!(await insert(ctx, row))) {
    throw new LabbookError("ALREADY_EXISTS", `execution ${input.executionId} of ${exp.name} already exists`, {
      field: "executionId",
    });
  }
  return toExecution(row);
}

export async function updateExecution(
  ctx: SqlContext,
  name: string,
  executionId: string,
  patch: { status?: ExecutionStatus; finishedAt?: number | null; manifest?: ExecutionManifest | null },
): Promise<ExecutionRecord> {
  checkOptions(patch, PATCH_KEYS satisfies KnownKeys<typeof patch>, "updateExecution");
  if (patch.status !== undefined && !STATUSES.includes(patch.status)) {
    throw new LabbookError("INVALID_ARGUMENT", `status: must be one of ${STATUSES.join(", ")}`, {
      field: "status",
    });
  }
  const set: Partial<ExecutionsTable> = {};
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.status === "running") set.heartbeat_at = Date.now();
  if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
  if (patch.manifest !== undefined)
    set.manifest = patch.manifest === null ? null : JSON.stringify(patch.manifest);
  const rec = await getExecution(ctx, name, { executionId });
  if (Object.keys(set).length > 0) {
    await ctx.db
      .updateTable("executions")
      .set(set)
      .where("workspace", "=", ctx.workspace)
      .where("experiment_name", "=", rec.experimentName)
      .where("execution_id", "=", rec.executionId)
      .execute();
  }
  return getExecution(ctx, name, { executionId });
}

export async function listExecutions(ctx: SqlContext, name: string): Promise<ExecutionRecord[]> {
  checkExperimentName(name);
  const rows = await ctx.db
    .selectFrom("executions")
    .selectAll()
    .where("workspace", "=", ctx.workspace)
    .where("experiment_name", "=", name)
    .orderBy("started_at", "desc")
    .orderBy("execution_id", "desc")
    .execute();
  return rows.map(toExecution);
}

export async function getExecution(
  ctx: SqlContext,
  name: string,
  ref: ExecutionRef = {},
): Promise<ExecutionRecord> {
  checkExperimentName(name);
  if (ref.executionId !== undefined) checkExecutionId(ref.executionId);
  const row = await ctx.db
    .selectFrom("executions")
    .selectAll()
    .where("workspace", "=", ctx.workspace)
    .where("experiment_name", "=", name)
    .$if(ref.executionId !== undefined, (q) => q.where("execution_id", "=", ref.executionId!))
    .orderBy("started_at", "desc")
    .orderBy("execution_id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row) {
    throw new LabbookError(
      "NOT_FOUND",
      ref.executionId
        ? `experiment ${name} has no execution ${ref.executionId}`
        : `experiment ${name} has no execution`,
      { field: ref.executionId ? "executionId" : "experiment" },
    );
  }
  return toExecution(row);
}
