import { LabbookError } from "../../../core/errors.js";
import type { RunStatus } from "../../../core/types.js";
import type { SqlContext } from "../context.js";
import { listVersions } from "../runs/experiments.js";
import { chunks } from "../shared/encode.js";

/** The highest SemVer version of an experiment; `NOT_FOUND` when it has none. */
export async function latestVersion(ctx: SqlContext, name: string): Promise<string> {
  const versions = await listVersions(ctx, name);
  const last = versions[versions.length - 1];
  if (last === undefined) {
    throw new LabbookError("NOT_FOUND", `experiment ${name} does not exist`, { field: "name" });
  }
  return last;
}

/** The status of each of these runs that exists. */
export async function runStatuses(
  ctx: SqlContext,
  runIds: readonly string[],
): Promise<Record<string, RunStatus>> {
  const out: Record<string, RunStatus> = {};
  for (const part of chunks([...new Set(runIds.map(String))], 500)) {
    const rows = await ctx.db
      .selectFrom("runs")
      .select(["run_id", "status"])
      .where("workspace", "=", ctx.workspace)
      .where("run_id", "in", part)
      .execute();
    for (const r of rows) out[r.run_id] = r.status as RunStatus;
  }
  return out;
}
