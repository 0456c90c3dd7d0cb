import { LabbookError } from "../../../core/errors.js";
import { isoOrNull } from "../../../core/ids.js";
import { decodeGraphValue, encodeGraphValue } from "../../../core/object-graph.js";
import { checkArtifactName, checkExperimentName } from "../../../core/validate.js";
import type { ExecutionRef, SavedObjectInfo } from "../../execution-methods.js";
import type { SqlContext } from "../context.js";
import { checkExecutionId, getExecution } from "./records.js";

/** Saves a value with an execution (the latest when omitted), replacing one of the same name. */
export async function saveObject(
  ctx: SqlContext,
  name: string,
  objectName: string,
  value: unknown,
  ref: ExecutionRef = {},
): Promise<SavedObjectInfo> {
  checkArtifactName(objectName, "objectName");
  const encoded = JSON.stringify(encodeGraphValue(value, objectName));
  const exec = await getExecution(ctx, name, ref);
  const savedAt = Date.now();
  await ctx.db
    .insertInto("execution_saved")
    .values({
      workspace: ctx.workspace,
      experiment_name: exec.experimentName,
      execution_id: exec.executionId,
      name: objectName,
      value: encoded,
      saved_at: savedAt,
    })
    .onConflict((oc) =>
      oc
        .columns(["workspace", "experiment_name", "execution_id", "name"])
        .doUpdateSet((eb) => ({ value: eb.ref("excluded.value"), saved_at: eb.ref("excluded.saved_at") })),
    )
    .execute();
  return { name: objectName, executionId: exec.executionId, savedAt: isoOrNull(savedAt) as string };
}

/** Loads a saved value: from the given execution, or the latest execution that saved that name. */
export async function loadObject(
  ctx: SqlContext,
  name: string,
  objectName: string,
  ref: ExecutionRef = {},
): Promise<unknown> {
  checkExperimentName(name);
  checkArtifactName(objectName, "objectName");
  if (ref.executionId !== undefined) checkExecutionId(ref.executionId);
  const row = await ctx.db
    .selectFrom("execution_saved as s")
    .innerJoin("executions as e", (j) =>
      j
        .onRef("e.workspace", "=", "s.workspace")
        .onRef("e.experiment_name", "=", "s.experiment_name")
        .onRef("e.execution_id", "=", "s.execution_id"),
    )
    .select(["s.value"])
    .where("s.workspace", "=", ctx.workspace)
    .where("s.experiment_name", "=", name)
    .where("s.name", "=", objectName)
    .$if(ref.executionId !== undefined, (q) => q.where("s.execution_id", "=", ref.executionId!))
    .orderBy("e.started_at", "desc")
    .orderBy("s.execution_id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row) {
    throw new LabbookError(
      "NOT_FOUND",
      `experiment ${name} has no saved object ${JSON.stringify(objectName)}${ref.executionId ? ` in execution ${ref.executionId}` : ""}`,
      { field: "objectName" },
    );
  }
  return decodeGraphValue(JSON.parse(row.value));
}

/** Objects saved with an execution (every execution when omitted), newest execution first, then by name. */
export async function listObjects(
  ctx: SqlContext,
  name: string,
  ref: ExecutionRef = {},
): Promise<SavedObjectInfo[]> {
  checkExperimentName(name);
  if (ref.executionId !== undefined) checkExecutionId(ref.executionId);
  const rows = await ctx.db
    .selectFrom("execution_saved")
    .select(["name", "execution_id", "saved_at"])
    .where("workspace", "=", ctx.workspace)
    .where("experiment_name", "=", name)
    .$if(ref.executionId !== undefined, (q) => q.where("execution_id", "=", ref.executionId!))
    .orderBy("execution_id", "desc")
    .orderBy("name")
    .execute();
  return rows.map((r) => ({
    name: r.name,
    executionId: r.execution_id,
    savedAt: isoOrNull(Number(r.saved_at)) as string,
  }));
}
