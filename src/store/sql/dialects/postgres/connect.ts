import { setTimeout as sleep } from "node:timers/promises";
import { type CompiledQuery, Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import Cursor from "pg-cursor";
import { LabbookError } from "../../../../core/errors.js";
import type { Database } from "../../schema.js";
import type { WriteTx } from "../../write-tx.js";
import { type PipelineCounts, pipelinedWrite } from "./pipelined-tx.js";

/** Where and how to connect: what {@link parsePostgresUri} reads from a store URI. */
export interface PostgresTarget {
  /** The connection string handed to `pg` (labbook's own query parameters removed). */
  connectionString: string;
  /** The schema holding labbook's tables (`?schema=`; default: the server's search path). */
  schema?: string;
  /** Connections in the pool (`?pool=`, default 10). */
  poolSize: number;
  /** Write transactions pipelined (`?pipeline=on`, the default) or one round trip per statement (`off`). */
  pipeline: boolean;
  /**
   * Parallel workers in the plans of the store's queries (`?parallel=on`), or none (`off`, the
   * default: `max_parallel_workers_per_gather = 0` on its connections). A search's page stops
   * after a few hundred runs and its count probes an index per match: a parallel plan's workers
   * cost more to start and to merge than they save (measured at 100,000 runs on 2 cores: a page
   * 258 ms with them, 4 ms without; a count of 25,000 matches 645 ms against 243 ms), and a
   * server's concurrent requests already keep the cores busy.
   */
  parallel?: boolean;
  /**
   * Just-in-time compiled expressions (`?jit=on`), or none (`off`, the default: `jit = off` on the
   * store's connections). The planner's cost of a count with `or` over child tables passes the
   * compile threshold by far: compiling took 300 ms of a 570 ms count that runs in 255 ms without.
   */
  jit?: boolean;
}

export interface PostgresHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  /** One write transaction, retried whole on a serialization failure or a deadlock. */
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>;
  /** A select's rows through a server-side cursor, `size` rows at a time. */
  stream<R>(q: CompiledQuery, size: number): AsyncIterable<R[]>;
  /** The statements sent and the round trips waited for so far (see `pipelinedWrite`). */
  counts: PipelineCounts;
  close(): Promise<void>;
}

/** Integers of up to 2^53 and counts read as numbers (timestamps, keys, sizes, counts). */
const types = new pg.TypeOverrides();
const toNumber = (text: string) => Number(text);
types.setTypeParser(pg.types.builtins.INT8, toNumber);
types.setTypeParser(pg.types.builtins.NUMERIC, toNumber);

/** SQLSTATEs after which a whole transaction may simply run again. */
const RETRYABLE = new Set(["40001" /* serialization_failure */, "40P01" /* deadlock_detected */]);

/**
 * True for an error after which a transaction can be run again as it is.
 *
 * @example
 * isRetryable({ code: "40P01" }); // true
 */
export function isRetryable(e: unknown): boolean {
  return RETRYABLE.has(String((e as { code?: unknown } | null)?.code));
}

/** PostgreSQL's refusal of a NUL character (U+0000) in a text value. */
function isNulInText(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  return err?.code === "22021" && /0x00/.test(String(err.message));
}

function nulRefused(): LabbookError {
  return new LabbookError(
    "INVALID_ARGUMENT",
    "a text value (a name, tag, param or score string) holds the character U+0000, which PostgreSQL cannot store; nothing was written",
  );
}

/** Tries of one write transaction before its error is thrown. */
const TRIES = 8;

/**
 * Opens a pool of connections to a PostgreSQL database, seen through Kysely's PostgreSQL dialect
 * (with `pg-cursor` for streamed listings). With a schema, every connection searches it first.
 *
 * @example
 * const pgh = openPostgres({ connectionString: "postgres://localhost/lab", poolSize: 10 });
 */
export function openPostgres(target: PostgresTarget): PostgresHandle {
  const options = [
    ...(target.schema ? [`-c search_path=${target.schema}`] : []),
    ...(target.parallel ? [] : ["-c max_parallel_workers_per_gather=0"]),
    ...(target.jit ? [] : ["-c jit=off"]),
  ];
  const config: pg.PoolConfig = {
    connectionString: target.connectionString,
    max: target.poolSize,
    // Idle connections do not keep the process alive: a script that ends without close() exits
    // (its open runs are written and ended in `beforeExit`) instead of waiting for the idle timeout.
    allowExitOnIdle: true,
    types,
    ...(options.length > 0 ? { options: options.join(" ") } : {}),
  };
  // Connections in pipeline mode: a write transaction sends the statements whose answers it
  // does not read without waiting for them (pipelined-tx.ts). A cursor cannot share such a
  // connection, so streamed listings take theirs from a second pool, opened on first use.
  const pool = new pg.Pool({ ...config, pipeline: target.pipeline });
  let cursorPool: pg.Pool | null = null;
  // An idle connection that the server closes (a restart) is dropped from the pool, not thrown.
  pool.on("error", () => undefined);
  const counts: PipelineCounts = { transactions: 0, statements: 0, roundTrips: 0 };
  // Every statement outside the write transactions is one round trip: counted with theirs.
  const counted = {
    async connect() {
      const client = await pool.connect();
      return {
        query: (text: string, values: readonly unknown[]) => {
          counts.statements++;
          counts.roundTrips++;
          return client.query(text, values as unknown[]);
        },
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: counted as never }) });
  const write = async <T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await pipelinedWrite(pool, fn, { counts, wait: !target.pipeline });
      } catch (e) {
        if (isNulInText(e)) throw nulRefused();
        if (!isRetryable(e) || attempt >= TRIES) throw e;
        await sleep(Math.random() * 10 * 2 ** attempt);
      }
    }
  };
  async function* stream<R>(q: CompiledQuery, size: number): AsyncIterable<R[]> {
    if (!cursorPool) {
      cursorPool = new pg.Pool(config);
      cursorPool.on("error", () => undefined);
    }
    const client = await cursorPool.connect();
    const cursor = client.query(new Cursor<R>(q.sql, q.parameters as unknown[]));
    let failed: Error | undefined;
    try {
      for (;;) {
        const rows = await cursor.read(size);
        if (rows.length === 0) break;
        yield rows;
      }
    } catch (e) {
      failed = e as Error;
      throw e;
    } finally {
      await cursor.close().catch(() => undefined);
      client.release(failed);
    }
  }
  return {
    db,
    pool,
    write,
    stream,
    counts,
    close: async () => {
      await db.destroy();
      await cursorPool?.end();
    },
  };
}

/**
 * An SQL identifier quoted for PostgreSQL.
 *
 * @example
 * quoteIdent('my "lab"'); // "\"my \"\"lab\"\"\""
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
