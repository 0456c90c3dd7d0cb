import { sql } from "kysely";
import type { ExperimentSummary, RunStatus } from "../../../core/types.js";
import type { SqlContext } from "../context.js";
import { isoTime } from "../shared/iso-time.js";
import { listExperiments } from "./experiments.js";

/**
 * Every experiment of the workspace (by name then SemVer) with its runs counted by status and
 * its last activity, counted inside the database in one grouped query.
 */
export async function summarizeExperiments(ctx: SqlContext): Promise<ExperimentSummary[]> {
  const [infos, counts] = await Promise.all([
    listExperiments(ctx),
    ctx.db
      .selectFrom("runs")
      .select([
        "experiment_name",
        "experiment_version",
        "status",
        sql<number>`count(*)`.as("n"),
        sql<number>`max(created_at)`.as("created"),
        sql<number | null>`max(started_at)`.as("started"),
        sql<number | null>`max(finished_at)`.as("finished"),
      ])
      .where("workspace", "=", ctx.workspace)
      .groupBy(["experiment_name", "experiment_version", "status"])
      .execute(),
  ]);
  const byId = new Map<string, ExperimentSummary>();
  for (const info of infos) {
    byId.set(info.experimentId, { ...info, runCount: 0, statusCounts: {}, lastActivityAt: null });
  }
  const last = new Map<string, number>();
  for (const c of counts) {
    const id = `${c.experiment_name}:${c.experiment_version}`;
    const s = byId.get(id);
    if (!s) continue;
    const n = Number(c.n);
    s.runCount += n;
    s.statusCounts[c.status as RunStatus] = (s.statusCounts[c.status as RunStatus] ?? 0) + n;
    const t = Math.max(Number(c.created), Number(c.started ?? 0), Number(c.finished ?? 0));
    last.set(id, Math.max(last.get(id) ?? 0, t));
  }
  for (const [id, t] of last) {
    const s = byId.get(id);
    if (s) s.lastActivityAt = isoTime(t);
  }
  return [...byId.values()];
}
