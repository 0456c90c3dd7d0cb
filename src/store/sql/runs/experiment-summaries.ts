import { sql } from "kysely";
import type { ExperimentSummary, RunStatus } from "../../../core/types.js";
import type { SqlContext } from "../context.js";
import { isoTime } from "../shared/iso-time.js";
import { listExperiments } from "./experiments.js";
import { INDEXED_THROUGH } from "./run-index.js";

/** The run times whose latest is an experiment version's last activity. */
const TIMES = ["created_at", "started_at", "finished_at"] as const;

/** Times of a run, by experiment version. */
interface Times {
  experiment_name: string;
  experiment_version: string;
  t: number | null;
  s?: number | null;
  f?: number | null;
}

/**
 * The latest run time of each experiment version of the workspace (by `name:version`), without
 * reading its runs: from the field summaries (kept with every write, counting runs deleted
 * since: see `applySummarySteps`), and on SQLite from the runs the deferred run index has not
 * reached (its writers index every 5,000 runs: a short range of keys), read first, so that a run
 * the index reaches meanwhile is found in one of the two (a run found in both counts once: a
 * maximum). Nothing is written: the listing does not index runs for the searches after it.
 */
async function latestTimes(ctx: SqlContext): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  const add = (r: Times) => {
    const id = `${r.experiment_name}:${r.experiment_version}`;
    for (const t of [r.t, r.s, r.f]) {
      if (t !== null && t !== undefined) latest.set(id, Math.max(latest.get(id) ?? Number(t), Number(t)));
    }
  };
  if (ctx.dialect.deferredRunIndex) {
    const { rows } = await sql<Times>`select experiment_name, experiment_version,
        max(created_at) as t, max(started_at) as s, max(finished_at) as f
      from runs where workspace = ${ctx.workspace} and id > ${INDEXED_THROUGH}
      group by experiment_name, experiment_version`.execute(ctx.db);
    rows.forEach(add);
  }
  const { rows } = await sql<Times>`select experiment_name, experiment_version, max(n) as t from (
      select experiment_name, experiment_version, max(num_max) as n from field_summaries
      where workspace = ${ctx.workspace} and field in (${sql.join([...TIMES])}) and type = 'number'
      group by experiment_name, experiment_version, field having sum(runs) > 0) as f
    group by experiment_name, experiment_version`.execute(ctx.db);
  rows.forEach(add);
  return latest;
}

/**
 * Every experiment of the workspace (by name then SemVer) with its runs counted by status and
 * its last activity, without reading a run row: the counts are one grouped pass over the index
 * of runs by experiment version and status, the last activity comes from the field summaries
 * ({@link latestTimes}) (100,000 runs: 13-15 ms, against 260-268 ms when the times were the
 * maxima of the runs' rows).
 */
export async function summarizeExperiments(ctx: SqlContext): Promise<ExperimentSummary[]> {
  const [infos, counts, latest] = await Promise.all([
    listExperiments(ctx),
    ctx.db
      .selectFrom("runs")
      .select(["experiment_name", "experiment_version", "status", sql<number>`count(*)`.as("n")])
      .where("workspace", "=", ctx.workspace)
      .groupBy(["experiment_name", "experiment_version", "status"])
      .execute(),
    latestTimes(ctx),
  ]);
  const byId = new Map<string, ExperimentSummary>();
  for (const info of infos) {
    byId.set(info.experimentId, { ...info, runCount: 0, statusCounts: {}, lastActivityAt: null });
  }
  for (const c of counts) {
    const s = byId.get(`${c.experiment_name}:${c.experiment_version}`);
    if (!s) continue;
    const n = Number(c.n);
    s.runCount += n;
    s.statusCounts[c.status as RunStatus] = (s.statusCounts[c.status as RunStatus] ?? 0) + n;
  }
  for (const [id, t] of latest) {
    const s = byId.get(id);
    // An experiment version whose runs were all deleted has no activity to show, as before it had runs.
    if (s && s.runCount > 0) s.lastActivityAt = isoTime(t);
  }
  return [...byId.values()];
}
