import semver from "semver";
import { decodeJson, encodeJson } from "../../../core/codec.js";
import { invalid, LabbookError } from "../../../core/errors.js";
import { checkKeys, type KnownKeys } from "../../../core/known-keys.js";
import type { CreateExperimentInput, ExperimentInfo } from "../../../core/types.js";
import { checkExperimentName, checkVersion, normalizeTags } from "../../../core/validate.js";
import type { SqlContext } from "../context.js";
import type { ExperimentsTable } from "../schema.js";

export const DEFAULT_VERSION = "0.1.0";

function toInfo(r: ExperimentsTable): ExperimentInfo {
  return {
    experimentId: `${r.name}:${r.version}`,
    name: r.name,
    version: r.version,
    description: r.description,
    metadata: decodeJson(r.metadata),
    tags: decodeJson(r.tags),
    createdAt: new Date(Number(r.created_at)).toISOString(),
  };
}

const EXPERIMENT_KEYS = {
  name: true,
  version: true,
  description: true,
  metadata: true,
  tags: true,
} as const satisfies KnownKeys<CreateExperimentInput>;

function checkInput(input: CreateExperimentInput): ExperimentsTable {
  if (input === null || typeof input !== "object") throw invalid("experiment", "must be an object", input);
  checkKeys(input, EXPERIMENT_KEYS, "createExperiment");
  const name = checkExperimentName(input.name);
  const version = checkVersion(input.version ?? DEFAULT_VERSION);
  if (input.description !== undefined && typeof input.description !== "string") {
    throw invalid("description", "must be a string", input.description);
  }
  if (
    input.metadata !== undefined &&
    (input.metadata === null || typeof input.metadata !== "object" || Array.isArray(input.metadata))
  ) {
    throw invalid("metadata", "must be an object", input.metadata);
  }
  return {
    workspace: "",
    name,
    version,
    description: input.description ?? null,
    metadata: encodeJson(input.metadata ?? {}, "metadata"),
    tags: JSON.stringify(normalizeTags(input.tags)),
    created_at: Date.now(),
  };
}

export async function createExperiment(
  ctx: SqlContext,
  input: CreateExperimentInput,
): Promise<ExperimentInfo> {
  const row = { ...checkInput(input), workspace: ctx.workspace };
  const res = await ctx.db
    .insertInto("experiments")
    .values(row)
    .onConflict((oc) => oc.columns(["workspace", "name", "version"]).doNothing())
    .executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) {
    throw new LabbookError("ALREADY_EXISTS", `experiment ${row.name}:${row.version} already exists`, {
      field: "name",
    });
  }
  return toInfo(row);
}

export async function ensureExperiment(
  ctx: SqlContext,
  input: CreateExperimentInput,
): Promise<ExperimentInfo> {
  const row = { ...checkInput(input), workspace: ctx.workspace };
  await ctx.db
    .insertInto("experiments")
    .values(row)
    .onConflict((oc) => oc.columns(["workspace", "name", "version"]).doNothing())
    .execute();
  return getExperiment(ctx, row.name, row.version);
}

export async function listExperiments(ctx: SqlContext): Promise<ExperimentInfo[]> {
  const rows = await ctx.db
    .selectFrom("experiments")
    .selectAll()
    .where("workspace", "=", ctx.workspace)
    .execute();
  return rows
    .sort((a, b) => a.name.localeCompare(b.name) || semver.compare(a.version, b.version))
    .map(toInfo);
}

/** Versions of one experiment in SemVer order. */
export async function listVersions(ctx: SqlContext, name: string): Promise<string[]> {
  checkExperimentName(name);
  const rows = await ctx.db
    .selectFrom("experiments")
    .select("version")
    .where("workspace", "=", ctx.workspace)
    .where("name", "=", name)
    .execute();
  return rows.map((r) => r.version).sort(semver.compare);
}

export async function getExperiment(
  ctx: SqlContext,
  name: string,
  version?: string,
): Promise<ExperimentInfo> {
  checkExperimentName(name);
  if (version !== undefined) checkVersion(version);
  const rows = await ctx.db
    .selectFrom("experiments")
    .selectAll()
    .where("workspace", "=", ctx.workspace)
    .where("name", "=", name)
    .$if(version !== undefined, (q) => q.where("version", "=", version as string))
    .execute();
  const found = rows.sort((a, b) => semver.compare(b.version, a.version))[0];
  if (!found) {
    throw new LabbookError(
      "NOT_FOUND",
      `experiment ${version ? `${name}:${version}` : name} does not exist`,
      { field: "experiment" },
    );
  }
  return toInfo(found);
}
