import type { CompiledQuery, Kysely, RawBuilder } from "kysely";
import { LabbookError } from "../../core/errors.js";
import type { SqlContext } from "./context.js";
import type { Database } from "./schema.js";

/** Statements of one write transaction: queries are built (compiled) with Kysely and run here. */
export interface WriteTx {
  query<R = Record<string, unknown>>(q: CompiledQuery): Promise<R[]>;
}

/**
 * A write transaction's statements as a generator: each `yield` hands one statement to the driver
 * and receives its rows (a failed statement is thrown back in at the `yield`). The same steps run
 * on an asynchronous connection ({@link driveSteps}) or, on SQLite, in one synchronous turn
 * ({@link driveStepsSync}): from the first statement to the commit nothing else runs, and a
 * process that is exiting can still write.
 */
export type TxSteps<T> = Generator<CompiledQuery, T, unknown[]>;

/**
 * One statement, as a step: `const rows = yield* statement<Row>(q)`.
 *
 * @example
 * function* count(ctx: SqlContext): TxSteps<number> {
 *   const [r] = yield* statement<{ n: number }>(ctx.db.selectFrom("runs").select((eb) => eb.fn.countAll().as("n")).compile());
 *   return Number(r?.n ?? 0);
 * }
 */
export function* statement<R = Record<string, unknown>>(q: CompiledQuery): TxSteps<R[]> {
  return (yield q) as R[];
}

/** Runs steps on an asynchronous transaction. */
export async function driveSteps<T>(steps: TxSteps<T>, tx: WriteTx): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    let rows: unknown[];
    try {
      rows = await tx.query(next.value);
    } catch (e) {
      next = steps.throw(e);
      continue;
    }
    next = steps.next(rows);
  }
  return next.value;
}

/** Runs steps with a synchronous statement runner (SQLite). */
export function driveStepsSync<T>(steps: TxSteps<T>, run: (q: CompiledQuery) => unknown[]): T {
  let next = steps.next();
  while (!next.done) {
    let rows: unknown[];
    try {
      rows = run(next.value);
    } catch (e) {
      next = steps.throw(e);
      continue;
    }
    next = steps.next(rows);
  }
  return next.value;
}

/**
 * Runs `steps` in one write transaction of the store; `onCommit` is called once it committed
 * (on SQLite in the same synchronous turn as the commit, so that nothing can observe the
 * transaction committed and `onCommit` not yet called).
 */
export function writeSteps<T>(
  ctx: SqlContext,
  steps: () => TxSteps<T>,
  onCommit?: (value: T) => void,
): Promise<T> {
  if (ctx.writeSteps) return ctx.writeSteps(steps, onCommit);
  return ctx
    .write((tx) => driveSteps(steps(), tx))
    .then((value) => {
      onCommit?.(value);
      return value;
    });
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
  // By spec object first (no key text to build: the hoisted specs of the hot paths), then by shape.
  let bySpec = specShapes.get(db);
  if (!bySpec) {
    bySpec = new WeakMap();
    specShapes.set(db, bySpec);
  }
  let counts = bySpec.get(spec);
  if (!counts) {
    counts = new Map();
    bySpec.set(spec, counts);
  }
  const known = counts.get(n);
  if (known) return known;
  const compiled = compileShape(db, spec, n);
  if (counts.size > 100) counts.clear();
  counts.set(n, compiled);
  return compiled;
}

const specShapes = new WeakMap<object, WeakMap<InsertSpec, Map<number, CompiledQuery>>>();

function compileShape(db: Kysely<Database>, spec: InsertSpec, n: number): CompiledQuery {
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
export function insertRows<R = Record<string, unknown>>(
  db: Kysely<Database>,
  tx: WriteTx,
  spec: InsertSpec,
  rows: readonly (readonly unknown[])[],
): Promise<R[]> {
  return driveSteps(insertSteps<R>(db, spec, rows), tx);
}

/** {@link insertRows} as steps of a transaction. */
export function* insertSteps<R = Record<string, unknown>>(
  db: Kysely<Database>,
  spec: InsertSpec,
  rows: readonly (readonly unknown[])[],
): TxSteps<R[]> {
  if (rows.length === 0) return [];
  const per = Math.max(1, Math.floor(30_000 / spec.columns.length));
  if (rows.length <= per) {
    return yield* statement<R>(bind(shapedInsert(db, spec, rows.length), rows, 0, rows.length));
  }
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += per) {
    const end = Math.min(rows.length, i + per);
    for (const r of yield* statement<R>(bind(shapedInsert(db, spec, end - i), rows, i, end))) out.push(r);
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

const templates = new WeakMap<object, Map<string, { compiled: CompiledQuery; order: number[] }>>();

/**
 * A statement compiled once per database under `key`, then bound with new values: the hot write
 * path skips building a query tree per call. `build` receives one placeholder per value and must
 * put each into the query as a bound value (in any order).
 *
 * @example
 * const q = boundOnce(ctx.db, "run-by-id", (p) => ctx.db.selectFrom("runs").select("id").where("run_id", "=", p[0] as string), [runId]);
 */
export function boundOnce(
  db: Kysely<Database>,
  key: string,
  build: (placeholders: readonly unknown[]) => { compile(): CompiledQuery },
  values: readonly unknown[],
): CompiledQuery {
  let cache = templates.get(db);
  if (!cache) {
    cache = new Map();
    templates.set(db, cache);
  }
  let t = cache.get(key);
  if (!t) {
    const slots = values.map((_, i) => `\u0000slot${i}\u0000${key}`);
    const compiled = build(slots).compile();
    const order = compiled.parameters.map((p) => slots.indexOf(p as string));
    if (order.some((i) => i < 0) || new Set(order).size !== slots.length) {
      throw new LabbookError("INTERNAL", `statement ${key}: its values are not all bound parameters`);
    }
    t = { compiled, order };
    cache.set(key, t);
  }
  const parameters = t.order.map((i) => values[i]);
  return { ...t.compiled, parameters };
}

/** True for a unique-constraint violation from SQLite or PostgreSQL. */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}
