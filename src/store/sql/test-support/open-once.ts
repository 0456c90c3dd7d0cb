/**
 * Child process for the migration tests: `node --import tsx open-once.ts STORE` opens the store
 * (migrating it when new), prints its schema version and closes it.
 */
import { sql } from "kysely";
import { openStore } from "../../open-store.js";
import type { SqlStore } from "../sql-store.js";

const store = (await openStore(process.argv[2]!)) as SqlStore;
const { rows } = await sql<{
  value: string;
}>`select value from labbook_meta where key = 'schema_version'`.execute(store.ctx.db);
process.stdout.write(`${rows[0]?.value}\n`);
await store.close();
