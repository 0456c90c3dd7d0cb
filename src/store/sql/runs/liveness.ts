import { sql } from "kysely";
import type { RunStatus } from "../../../core/types.js";
import type { HeartbeatInput } from "../../types.js";
import type { SqlContext } from "../context.js";
import { chunks } from "../shared/encode.js";

/**
 * Crashed runs and executions are written, not computed at read time: before a read, a store
 * marks `crashed` the `running` runs and executions whose heartbeat is older than its timeout
 * ({@link markCrashed}), so every reader, every query and every cached count sees one status,
 * the column. A heartbeat (or any write of the run) from a writer that was only stalled makes it
 * `running` again.
 */

/**
 * A stored status as it reads now: `running` with a heartbeat older than `cutoff` is `crashed`.
 *
 * @example
 * readStatus("running", Date.now() - 120_000, Date.now() - 60_000); // "crashed"
 */
export function readStatus(status: string, heartbeatAt: number | null, cutoff: number): RunStatus {
  return status === "running" && heartbeatAt !== null && Number(heartbeatAt) < cutoff
    ? "crashed"
    : (status as RunStatus);
}

const OPEN = sql.lit("running");

/**
 * Marks runs and executions of the workspace alive at `now` (`running` again if they were
 * `crashed`); ended and unknown ones are left alone. See {@link Store.heartbeat}.
 *
 * @example
 * await touch(store.ctx, { runIds: [run.runId] }, Date.now());
 */
export async function touch(ctx: SqlContext, beat: HeartbeatInput, now: number): Promise<void> {
  const runIds = [...new Set((beat.runIds ?? []).map(String))];
  const executions = beat.executions ?? [];
  if (runIds.length === 0 && executions.length === 0) return;
  await ctx.write(async (tx) => {
    for (const part of chunks(runIds, 500)) {
      // Runs back from `crashed` change status: recorded for cached searches (a heartbeat alone is not).
      const revived = await tx.query<{ id: number }>(
        ctx.db
          .selectFrom("runs")
          .select("id")
          .where("workspace", "=", ctx.workspace)
          .where("run_id", "in", part)
          .where("status", "=", "crashed")
          .compile(),
      );
      await ctx.runChanges?.record(
        tx,
        revived.map((r) => Number(r.id)),
      );
      await tx.query(
        ctx.db
          .updateTable("runs")
          .set({ heartbeat_at: now, status: "running" })
          .where("workspace", "=", ctx.workspace)
          .where("run_id", "in", part)
          .where("status", "in", ["running", "crashed"])
          .compile(),
      );
    }
    for (const e of executions) {
      await tx.query(
        ctx.db
          .updateTable("executions")
          .set({ heartbeat_at: now, status: "running" })
          .where("workspace", "=", ctx.workspace)
          .where("experiment_name", "=", String(e.name))
          .where("execution_id", "=", String(e.executionId))
          .where("status", "in", ["running", "crashed"])
          .compile(),
      );
    }
  });
}

/** When each database was last checked for crashed runs, and the check under way. */
const checks = new WeakMap<object, { at: number; pending: Promise<void> | null }>();

/**
 * Marks `crashed` every `running` run and execution (of every workspace) whose heartbeat is older
 * than the store's timeout. Before each read; at most once per quarter of the timeout (and per
 * second) per database handle, so that a read costs at most one probe of the small index of
 * open runs, and a write only when something did crash. Returns `undefined` when no check is
 * due (no await on the hot path). A check that cannot write (the database is busy) is left to
 * the next one.
 *
 * @example
 * await markCrashed(store.ctx);
 */
export function markCrashed(ctx: SqlContext): Promise<void> | undefined {
  let state = checks.get(ctx.db);
  if (!state) {
    state = { at: Number.NEGATIVE_INFINITY, pending: null };
    checks.set(ctx.db, state);
  }
  if (state.pending) return state.pending;
  const now = Date.now();
  if (now - state.at < Math.min(1000, ctx.heartbeatTimeoutMs / 4)) return undefined;
  state.at = now;
  const s = state;
  s.pending = sweep(ctx, now - ctx.heartbeatTimeoutMs)
    .catch(() => undefined)
    .finally(() => {
      s.pending = null;
    });
  return s.pending;
}

/**
 * Marks `crashed`, now, the `running` runs and executions whose heartbeat is older than `cutoff`
 * (ms since the epoch); {@link markCrashed} calls it when a check is due.
 *
 * @example
 * await sweep(store.ctx, Date.now() - store.heartbeatTimeoutMs);
 */
export async function sweep(ctx: SqlContext, cutoff: number): Promise<void> {
  const stale = sql<{
    n: number;
  }>`select (select count(*) from (select 1 from runs where status = ${OPEN} and heartbeat_at < ${cutoff} limit 1) as r) + (select count(*) from (select 1 from executions where status = ${OPEN} and heartbeat_at < ${cutoff} limit 1) as e) as n`;
  const { rows } = await stale.execute(ctx.db);
  if (Number(rows[0]?.n ?? 0) === 0) return;
  await ctx.write(async (tx) => {
    const crashed = await tx.query<{ id: number }>(
      ctx.db
        .updateTable("runs")
        .set({ status: "crashed" })
        .where("status", "=", OPEN)
        .where("heartbeat_at", "<", cutoff)
        .returning("id")
        .compile(),
    );
    await ctx.runChanges?.record(
      tx,
      crashed.map((r) => Number(r.id)),
    );
    await tx.query(
      ctx.db
        .updateTable("executions")
        .set({ status: "crashed" })
        .where("status", "=", OPEN)
        .where("heartbeat_at", "<", cutoff)
        .compile(),
    );
  });
}
