import type { Kysely } from "kysely";
import type { SqlDialect } from "../dialects/types.js";
import type { Database } from "../schema.js";

// biome-ignore lint/suspicious/noExplicitAny: DDL runs before the typed tables exist.
type AnyDb = Kysely<any>;

/**
 * Migration 5: the server's API keys. Only a salted HMAC-SHA-256 of each key's secret is
 * kept (`hash`, `salt`), with the workspace and role it grants.
 */
export async function migrateKeys(dbTyped: Kysely<Database>, { ddl: f }: SqlDialect): Promise<void> {
  const db = dbTyped as AnyDb;
  await db.schema
    .createTable("api_keys")
    .addColumn("id", f.text, (c) => c.primaryKey())
    .addColumn("workspace", f.text, (c) => c.notNull())
    .addColumn("role", f.text, (c) => c.notNull())
    .addColumn("name", f.text)
    .addColumn("salt", f.text, (c) => c.notNull())
    .addColumn("hash", f.text, (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("revoked_at", "bigint")
    .execute();
  await db.schema.createIndex("api_keys_workspace").on("api_keys").columns(["workspace"]).execute();
}
