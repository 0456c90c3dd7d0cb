import type { CompiledQuery, Kysely, RawBuilder } from "kysely";
import { LabbookError } from "../../core/errors.js";
import type { Database } from "./schema.js";

/** Statements of one write transaction: queries are built (compiled) with Kysely and run here. */
export interface WriteTx {
  query<R = Record<string, unknown>>(q: CompiledQuery): Promise<R[]>;
}

/** A Kysely transaction as a {@link WriteTx}. */
export function kyselyTx(trx: Kysely<Database>): WriteTx {
  return {
    async query<R>(q: CompiledQuery) {
      return (await trx.executeQuery(q)).rows as R[];
    },
  };
}

/** The shape of an insert; a spec object is read once and must not change afterwards (hoist hot ones to constants). */
export interface InsertSpec {
  table: keyof Database & string;
  columns: readonly string[];
  /** `nothing`: skip rows whose key exists; `{ target, update }`: upsert those columns. */
  conflict?: "nothing" | { target: readonly string[]; update: readonly string[] };
  returning?: readonly string[];
  /** Columns whose value is an SQL expression without bound values, the same in every row. */
  computed?: Readonly<Record<string, RawBuilder<unknown>>>;
}

// biome-ignore lint/suspicious/noExplicitAny: a shape-generic insert; the parameter count is checked below.
type Loose = any;

const shapes = new WeakMap<object, Map<string, CompiledQuery>>();
/** The text identifying an insert's shape (without its row count), once per spec object. */
const shapeKeys = new WeakMap<InsertSpec, string>();

function shapeKey(spec: InsertSpec): string {
  let key = shapeKeys.get(spec);
  if (key === undefined) {
    const computed = Object.entries(spec.computed ?? {}).map(([c, e]) => [c, e.toOperationNode()]);
    key = `${spec.table}|${spec.columns.join(",")}|${JSON.stringify(spec.conflict ?? null)}|${spec.returning?.join(",") ?? ""}|${JSON.stringify(computed)}`;
    shapeKeys.set(spec, key);
  }
  return key;
}

/**
 * Compiles an insert of `n` rows once per shape and database, then binds new values in
 * column order: the hot write paths skip building a query tree per call.
 */
function shapedInsert(db: Kysely<Database>, spec: InsertSpec, n: number): CompiledQuery {
  let cache = shapes.get(db);
  if (!cache) {
    cache = new Map<string, CompiledQuery>();
    shapes.set(db, cache);
  }
  const key = `${shapeKey(spec)}|${n}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dummy = { ...Object.fromEntries(spec.columns.map((c) => [c, 0])), ...spec.computed };
  let q: Loose = (db as Kysely<Loose>).insertInto(spec.table).values(Array.from({ length: n }, () => dummy));
  const conflict = spec.conflict;
  if (conflict === "nothing") q = q.onConflict((oc: Loose) => oc.doNothing());
  else if (conflict) {
    q = q.onConflict((oc: Loose) =>
      oc
        .columns(conflict.target)
        .doUpdateSet((eb: Loose) =>
          Object.fromEntries(conflict.update.map((c) => [c, eb.ref(`excluded.${c}`)])),
        ),
    );
  }
  if (spec.returning) q = q.returning(spec.returning);
  const compiled = q.compile() as CompiledQuery;
  if (compiled.parameters.length !== n * spec.columns.length) {
    throw new LabbookError("INTERNAL", `insert into ${spec.table}: unexpected parameter count`);
  }
  if (cache.size > 2000) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/** Inserts rows (arrays of values in `spec.columns` order), in chunks that stay under parameter limits. */
export async function insertRows<R = Record<string, unknown>>(
  db: Kysely<Database>,
  tx: WriteTx,
  spec: InsertSpec,
  rows: readonly (readonly unknown[])[],
): Promise<R[]> {
  if (rows.length === 0) return [];
  const per = Math.max(1, Math.floor(30_000 / spec.columns.length));
  if (rows.length <= per) return tx.query<R>(bind(shapedInsert(db, spec, rows.length), rows, 0, rows.length));
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += per) {
    const end = Math.min(rows.length, i + per);
    for (const r of await tx.query<R>(bind(shapedInsert(db, spec, end - i), rows, i, end))) out.push(r);
  }
  return out;
}

/** The compiled insert with the values of `rows[from..to)` bound in column order. */
function bind(
  compiled: CompiledQuery,
  rows: readonly (readonly unknown[])[],
  from: number,
  to: number,
): CompiledQuery {
  const parameters: unknown[] = [];
  for (let i = from; i < to; i++) {
    const row = rows[i]!;
    for (let j = 0; j < row.length; j++) parameters.push(row[j]);
  }
  return { ...compiled, parameters };
}

/** True for a unique-constraint violation from SQLite or PostgreSQL. */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}
