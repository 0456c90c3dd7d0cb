import { encodeJson } from "../../core/codec.js";
import { LabbookError, invalid } from "../../core/errors.js";
import type { RowInput } from "../../core/types.js";
import type { RunWriteBatch } from "../types.js";
import type { SqlContext } from "./context.js";
import { chunks, scoreColumns, storeNumber } from "./encode.js";
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import { insertRun } from "./runs-create.js";
import { runBlobPrefix } from "./runs-delete.js";

/** Applies a batch to a running run in one transaction; see {@link Store.writeRun}. */
export async function writeRun(ctx: SqlContext, runId: string, batch: RunWriteBatch): Promise<void> {
  const replaced = await ctx.db.transaction().execute(async (trx) => {
    let pk: number;
    let replacedPk: number | null = null;
    let tags: Record<string, string> | null = null;
    let startedAt: number | null;
    if (batch.create) {
      if (batch.create.runId !== runId) throw invalid("create.runId", `must equal the run id ${runId}`, batch.create.runId);
      const create = batch.tags ? { ...batch.create, tags: { ...batch.create.tags, ...batch.tags } } : batch.create;
      ({ pk, replacedPk } = await insertRun(trx, ctx, create, batch.end));
      if (batch.metrics && batch.metrics.length > 0) await writeMetrics(trx, pk, batch.metrics);
      if (batch.rows && batch.rows.length > 0) await writeRows(trx, pk, batch.rows);
      return replacedPk;
    }
    const run = await trx
      .selectFrom("runs")
      .select(["id", "status", "started_at", "tags"])
      .where("workspace", "=", ctx.workspace)
      .where("run_id", "=", String(runId))
      .executeTakeFirst();
    if (!run) throw new LabbookError("NOT_FOUND", `run ${runId} does not exist`, { field: "runId" });
    if (run.status !== "running") {
      throw new LabbookError(
        "FAILED_PRECONDITION",
        `run ${runId} has ended (${run.status}); it can no longer be written`,
        { field: "runId", details: { runId, status: run.status } },
      );
    }
    pk = Number(run.id);
    startedAt = run.started_at === null ? null : Number(run.started_at);
    tags = JSON.parse(run.tags);
    if (batch.metrics && batch.metrics.length > 0) await writeMetrics(trx, pk, batch.metrics);
    if (batch.rows && batch.rows.length > 0) await writeRows(trx, pk, batch.rows);
    if (batch.tags && Object.keys(batch.tags).length > 0) {
      await trx.updateTable("runs").set({ tags: JSON.stringify({ ...tags, ...batch.tags }) }).where("id", "=", pk).execute();
      await trx
        .insertInto("run_tags")
        .values(Object.entries(batch.tags).map(([key, value]) => ({ run_pk: pk, key, value })))
        .onConflict((oc) => oc.columns(["run_pk", "key"]).doUpdateSet((eb) => ({ value: eb.ref("excluded.value") })))
        .execute();
    }
    if (batch.end) {
      const finishedAt = batch.end.finishedAt ?? Date.now();
      await trx
        .updateTable("runs")
        .set({
          status: batch.end.status,
          finished_at: finishedAt,
          duration_ms: startedAt === null ? null : finishedAt - startedAt,
          error: batch.end.error ? JSON.stringify(batch.end.error) : null,
        })
        .where("id", "=", pk)
        .execute();
    }
    return null;
  });
  if (replaced !== null) await ctx.blobs.deletePrefix(runBlobPrefix(runId, replaced));
}

async function writeMetrics(trx: Kysely<Database>, pk: number, metrics: NonNullable<RunWriteBatch["metrics"]>) {
  const latest = new Map<string, (typeof metrics)[number]>();
  for (const m of metrics) latest.set(m.name, m);
  const summary = [...latest.values()].map((m) => {
    const n = storeNumber(m.value);
    return { run_pk: pk, name: m.name, value: n.value, nan: n.nan, step: m.step, ts: m.timestamp };
  });
  for (const part of chunks(summary, 1000)) {
    await trx
      .insertInto("run_metrics")
      .values(part)
      .onConflict((oc) =>
        oc.columns(["run_pk", "name"]).doUpdateSet((eb) => ({
          value: eb.ref("excluded.value"),
          nan: eb.ref("excluded.nan"),
          step: eb.ref("excluded.step"),
          ts: eb.ref("excluded.ts"),
        })),
      )
      .execute();
  }
  const series = metrics
    .filter((m) => m.step !== null)
    .map((m) => {
      const n = storeNumber(m.value);
      return { run_pk: pk, name: m.name, step: m.step as number, value: n.value, nan: n.nan, ts: m.timestamp };
    });
  for (const part of chunks(series, 1000)) await trx.insertInto("metric_series").values(part).execute();
}

/**
 * Inserts rows; a row with the same `datapointId` and `trial` as a stored one replaces it
 * (last write wins), scores included.
 */
export async function writeRows(trx: Kysely<Database>, pk: number, rows: readonly RowInput[]) {
  const unique = new Map<string, RowInput>();
  for (const r of rows) {
    const key = `${r.trial ?? 0}\u0000${r.datapointId}`;
    unique.delete(key);
    unique.set(key, r);
  }
  for (const part of chunks([...unique.values()], 500)) {
    const values = part.map((r) => ({
      run_pk: pk,
      datapoint_id: r.datapointId,
      trial: r.trial ?? 0,
      item: encodeJson(r.item ?? null),
      output: encodeJson(r.output ?? null),
      scores: encodeJson(r.scores),
      requests: encodeJson(r.requests ?? null),
    }));
    const ids = await trx
      .insertInto("run_rows")
      .values(values)
      .onConflict((oc) =>
        oc.columns(["run_pk", "datapoint_id", "trial"]).doUpdateSet((eb) => ({
          item: eb.ref("excluded.item"),
          output: eb.ref("excluded.output"),
          scores: eb.ref("excluded.scores"),
          requests: eb.ref("excluded.requests"),
        })),
      )
      .returning(["id", "datapoint_id", "trial"])
      .execute();
    const idOf = new Map(ids.map((r) => [`${r.trial}\u0000${r.datapoint_id}`, Number(r.id)]));
    await trx.deleteFrom("row_scores").where("row_pk", "in", [...idOf.values()]).execute();
    const scores = part.flatMap((r) => {
      const rowPk = idOf.get(`${r.trial ?? 0}\u0000${r.datapointId}`)!;
      return Object.entries(r.scores).map(([name, v]) => ({ run_pk: pk, row_pk: rowPk, name, ...scoreColumns(v) }));
    });
    for (const s of chunks(scores, 1000)) await trx.insertInto("row_scores").values(s).execute();
  }
}
