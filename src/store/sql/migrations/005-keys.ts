import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { DdlFlavor } from "./migrations.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 5: the server's API keys. Only a salted HMAC-SHA-256 of each key's secret is
 * kept (`hash`, `salt`), with the workspace and role it grants.
 */
export async function migrateKeys(dbTyped: Kysely<Database>, _f: DdlFlavor): Promise<void> {
  const db = dbTyped as AnyDb;
  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("salt", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("revoked_at", "bigint")
    .execute();
  await db.schema.createIndex("api_keys_workspace").on("api_keys").columns(["workspace"]).execute();
}
