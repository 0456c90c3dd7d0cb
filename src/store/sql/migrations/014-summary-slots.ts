import { type Kysely, sql } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";
import { fillFieldSummaries } from "./013-field-summaries.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 14 (field summaries without a hot row): `field_summaries` gains a `slot` in its key,
 * so that a field's figures may be spread over several rows, added up when read (the catalog
 * sums the runs and takes the least and greatest bounds of every row of a field). A write
 * transaction adds to the row of its dialect's `summarySlot`: on PostgreSQL one of 64 chosen by
 * its transaction id, so that concurrent writers of one experiment no longer take turns on one
 * row until each commits; on SQLite (one writer at a time) always 0. The rows already kept
 * become slot 0; a store that has none (migrated from before 13 in the same opening) has its runs
 * summarized here.
 *
 * @example
 * { version: 14, description: "field summaries in slots", up: migrateSummarySlots } // in MIGRATIONS
 */
export async function migrateSummarySlots(dbTyped: Kysely<Database>, dialect: SqlDialect): Promise<void> {
  const db = dbTyped as AnyDb;
  const f = dialect.ddl;
  await db.schema
    .createTable("field_summaries_slots")
    .addColumn("workspace", f.text, (c) => c.notNull())
    .addColumn("experiment_name", f.text, (c) => c.notNull())
    .addColumn("experiment_version", f.text, (c) => c.notNull())
    .addColumn("field", f.text, (c) => c.notNull())
    .addColumn("type", f.text, (c) => c.notNull())
    .addColumn("slot", "integer", (c) => c.notNull())
    .addColumn("runs", "bigint", (c) => c.notNull())
    .addColumn("num_min", f.float)
    .addColumn("num_max", f.float)
    .addColumn("text_min", f.text)
    .addColumn("text_max", f.text)
    .addPrimaryKeyConstraint("field_summaries_slot_pk", [
      "workspace",
      "experiment_name",
      "experiment_version",
      "field",
      "type",
      "slot",
    ])
    .modifyEnd(f.withoutRowid ? sql`without rowid` : sql``)
    .execute();
  await sql`insert into field_summaries_slots (workspace, experiment_name, experiment_version, field, type,
    slot, runs, num_min, num_max, text_min, text_max)
    select workspace, experiment_name, experiment_version, field, type, 0, runs, num_min, num_max,
    text_min, text_max from field_summaries`.execute(db);
  await db.schema.dropTable("field_summaries").execute();
  await db.schema.alterTable("field_summaries_slots").renameTo("field_summaries").execute();
  // A store migrated from before 13 in this same opening: its runs are summarized now.
  const kept = await db.selectFrom("field_summaries").select("field").limit(1).execute();
  if (kept.length === 0) await fillFieldSummaries(dbTyped, dialect);
}
