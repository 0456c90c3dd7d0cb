import { type Kysely, sql } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import { applySummarySteps } from "../runs/field-summaries.js";
import { ScopedDeltas } from "../runs/field-summary.js";
import { storedRunLeaves } from "../runs/run-leaves.js";
import type { Database } from "../schema.js";
import { driveSteps, kyselyTx } from "../write-tx.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/** Runs read per batch when a store's summaries are filled. */
const BATCH = 2000;

/**
 * Migration 13 (field summaries, read by the field catalog): `field_summaries` and
 * `field_values` (see `applySummarySteps`), and an index of the runs' status per experiment
 * version (the catalog counts `status` from the runs). Migration 14 fills them from the runs
 * already stored (it gives `field_summaries` the key the write path now adds to).
 *
 * @example
 * { version: 13, description: "field summaries", up: migrateFieldSummaries } // in MIGRATIONS
 */
export async function migrateFieldSummaries(dbTyped: Kysely<Database>, dialect: SqlDialect): Promise<void> {
  const db = dbTyped as AnyDb;
  const f = dialect.ddl;
  const scoped = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn("workspace", f.text, (c) => c.notNull())
      .addColumn("experiment_name", f.text, (c) => c.notNull())
      .addColumn("experiment_version", f.text, (c) => c.notNull())
      .addColumn("field", f.text, (c) => c.notNull());
  const clustered = f.withoutRowid ? sql`without rowid` : sql``;
  await scoped("field_summaries")
    .addColumn("type", f.text, (c) => c.notNull())
    .addColumn("runs", "bigint", (c) => c.notNull())
    .addColumn("num_min", f.float)
    .addColumn("num_max", f.float)
    .addColumn("text_min", f.text)
    .addColumn("text_max", f.text)
    .addPrimaryKeyConstraint("field_summaries_pk", [
      "workspace",
      "experiment_name",
      "experiment_version",
      "field",
      "type",
    ])
    .modifyEnd(clustered)
    .execute();
  await scoped("field_values")
    .addColumn("sort_key", f.text, (c) => c.notNull())
    .addColumn("type", f.text, (c) => c.notNull())
    .addColumn("num", f.float)
    .addColumn("text", f.text)
    .addPrimaryKeyConstraint("field_values_pk", [
      "workspace",
      "experiment_name",
      "experiment_version",
      "field",
      "sort_key",
    ])
    .modifyEnd(clustered)
    .execute();
  // `status` changes in every run's life: the catalog counts it per experiment from this index.
  await db.schema
    .createIndex("runs_ws_exp_status")
    .on("runs")
    .columns(["workspace", "experiment_name", "experiment_version", "status"])
    .execute();
  // Filled by migration 14, once the summaries have the shape the write path adds to.
}

/**
 * Adds every stored run to the field summaries (empty before), in batches of runs by key.
 *
 * @example
 * await fillFieldSummaries(trx, sqliteDialect);
 */
export async function fillFieldSummaries(db: Kysely<Database>, dialect: SqlDialect): Promise<void> {
  const tx = kyselyTx(db);
  const ctx = { db, dialect };
  const deltas = new ScopedDeltas();
  // With the deferred run index, runs it has not reached are summarized when it gets there.
  const upto = dialect.deferredRunIndex
    ? Number(
        (await db.selectFrom("run_index").select("through").where("id", "=", 1).executeTakeFirst())
          ?.through ?? 0,
      )
    : Number.MAX_SAFE_INTEGER;
  let after = -1;
  for (;;) {
    const keys = await db
      .selectFrom("runs")
      .select("id")
      .where("id", ">", after)
      .where("id", "<=", upto)
      .orderBy("id")
      .limit(BATCH)
      .execute();
    if (keys.length === 0) break;
    after = Number(keys[keys.length - 1]!.id);
    const runs = await driveSteps(
      storedRunLeaves(
        ctx,
        keys.map((k) => Number(k.id)),
      ),
      tx,
    );
    deltas.addRuns(runs.values());
  }
  for (const { scope, delta } of deltas.values()) await driveSteps(applySummarySteps(ctx, scope, delta), tx);
}
