import Database from "better-sqlite3";
import pg from "pg";

/**
 * SQLAlchemy's rendering of MLflow's column types for PostgreSQL, from the type the same
 * migrations wrote in SQLite: MLflow's `Float(precision=53)` (metric values) is written `FLOAT`
 * in SQLite and is `double precision` on PostgreSQL; its `Boolean` (`is_nan`) is a native
 * `boolean` there (SQLite's `CHECK (is_nan IN (0, 1))` stands in for it and is dropped; its
 * default '0' is `false`); `BIGINT`, `INTEGER`, `VARCHAR(n)` and `TEXT` are the same.
 */
const PG_TYPES: [RegExp, string][] = [
  [/\bFLOAT\b/g, "DOUBLE PRECISION"],
  [/BOOLEAN DEFAULT '0'/g, "BOOLEAN DEFAULT false"],
  [/,\s*CHECK \(is_nan IN \(0, 1\)\)/g, ""],
];

/** The PostgreSQL DDL of one table of the SQLite fixture. */
function pgDdl(sqliteDdl: string): string {
  return PG_TYPES.reduce((ddl, [re, to]) => ddl.replace(re, to), sqliteDdl);
}

/** Tables in an order where each comes after the tables its foreign keys reference. */
function byReferences(tables: { name: string; sql: string }[]): { name: string; sql: string }[] {
  const out: { name: string; sql: string }[] = [];
  const left = [...tables];
  while (left.length > 0) {
    const i = left.findIndex((t) =>
      [...t.sql.matchAll(/REFERENCES "?(\w+)"?/g)].every(
        (m) => m[1] === t.name || out.some((o) => o.name === m[1]),
      ),
    );
    if (i < 0) throw new Error(`foreign keys form a cycle among ${left.map((t) => t.name).join(", ")}`);
    out.push(...left.splice(i, 1));
  }
  return out;
}

/**
 * Loads the MLflow 2.9.2 tracking database of the fixtures (`mlflow.db`, SQLite) into a
 * PostgreSQL database, as MLflow would have kept the same data there. How it is transferred:
 * every table of the file (MLflow's tracking and registry tables and `alembic_version`) is
 * created from its own `CREATE TABLE` statement in `sqlite_master` (names, keys, constraints
 * and indexes kept), with each column type as MLflow's models render on PostgreSQL (see
 * `PG_TYPES`: metric values `double precision`, `is_nan` `boolean`, times and steps `bigint`),
 * tables created after those they reference; then every row of every table is copied as it
 * is, value by value (`is_nan` 0/1 as false/true), in the file's order. Nothing is made up:
 * the rows are those MLflow wrote. Returns the row count of each table.
 *
 * @example
 * await loadMlflowFixtureIntoPostgres(join(FIXTURES, "mlflow.db"), "postgres://postgres@127.0.0.1:5433/mlflow");
 */
export async function loadMlflowFixtureIntoPostgres(
  sqliteFile: string,
  url: string,
): Promise<Record<string, number>> {
  const db = new Database(sqliteFile, { readonly: true, fileMustExist: true });
  const client = new pg.Client(url);
  await client.connect();
  const counts: Record<string, number> = {};
  try {
    const tables = db
      .prepare("select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .all() as { name: string; sql: string }[];
    const indexes = db
      .prepare("select sql from sqlite_master where type = 'index' and sql is not null")
      .all() as { sql: string }[];
    await client.query("begin");
    for (const t of byReferences(tables)) await client.query(pgDdl(t.sql));
    for (const ix of indexes) await client.query(ix.sql);
    for (const t of byReferences(tables)) {
      const columns = db.prepare(`pragma table_info("${t.name}")`).all() as { name: string; type: string }[];
      const boolean = columns.map((c) => /^BOOLEAN$/i.test(c.type));
      const rows = db.prepare(`select * from "${t.name}"`).raw().all() as unknown[][];
      counts[t.name] = rows.length;
      const names = columns.map((c) => `"${c.name}"`).join(", ");
      for (let start = 0; start < rows.length; start += 500) {
        const batch = rows.slice(start, start + 500);
        const values: unknown[] = [];
        const tuples = batch.map((row) => {
          const marks = row.map((v, i) => {
            values.push(boolean[i] && v !== null ? v === 1 : v);
            return `$${values.length}`;
          });
          return `(${marks.join(", ")})`;
        });
        await client.query(`insert into "${t.name}" (${names}) values ${tuples.join(", ")}`, values);
      }
    }
    await client.query("commit");
  } catch (e) {
    await client.query("rollback").catch(() => undefined);
    throw e;
  } finally {
    await client.end();
    db.close();
  }
  return counts;
}
