import type { CompiledQuery, Kysely } from "kysely";
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

export interface InsertSpec {
  table: keyof Database & string;
  columns: readonly string[];
  /** `nothing`: skip rows whose key exists; `{ target, update }`: upsert those columns. */
  conflict?: "nothing" | { target: readonly string[]; update: readonly string[] };
  returning?: readonly string[];
}

// biome-ignore lint/suspicious/noExplicitAny: a shape-generic insert; the parameter count is checked below.
type Loose = any;

const shapes = new WeakMap<object, Map<string, CompiledQuery>>();

/**
 * Compiles an insert of `n` rows once per shape and database, then binds new values in
 * column order: the hot write paths skip building a query tree per call.
 */
function shapedInsert(db: Kysely<Database>, spec: InsertSpec, n: number): CompiledQuery {
  const cache = shapes.get(db) ?? new Map<string, CompiledQuery>();
  shapes.set(db, cache);
  const key = `${spec.table}|${spec.columns.join(",")}|${n}|${JSON.stringify(spec.conflict ?? null)}|${spec.returning?.join(",") ?? ""}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dummy = Object.fromEntries(spec.columns.map((c) => [c, 0]));
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
  const out: R[] = [];
  const per = Math.max(1, Math.floor(30_000 / spec.columns.length));
  for (let i = 0; i < rows.length; i += per) {
    const part = rows.slice(i, i + per);
    const compiled = shapedInsert(db, spec, part.length);
    const parameters = part.flat();
    out.push(...(await tx.query<R>({ ...compiled, parameters })));
  }
  return out;
}

/** True for a unique-constraint violation from SQLite or PostgreSQL. */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}
