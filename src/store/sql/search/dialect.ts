import { type SqlBool, sql } from "kysely";
import type { Bool, Sql, SqlDialect } from "../dialects/types.js";

/**
 * The query compiler's view of a database: the SQL spellings that differ between dialects
 * (`dialects/sqlite/dialect.ts`, `dialects/postgres/dialect.ts`). The rest of `search/` writes
 * portable SQL through them.
 */
export type Dialect = SqlDialect;
export type { Bool, Sql };

export const TRUE: Bool = sql<SqlBool>`(1 = 1)`;
export const FALSE: Bool = sql<SqlBool>`(1 = 0)`;
