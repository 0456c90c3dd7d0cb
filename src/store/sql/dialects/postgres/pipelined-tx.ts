import type { Writable } from "node:stream";
import type { CompiledQuery } from "kysely";
import type pg from "pg";
import type { WriteTx } from "../../write-tx.js";

/**
 * True for a statement whose answer holds no rows whatever happens (an insert, update or delete
 * without `returning`): its caller reads nothing from it, so it need not wait for it.
 *
 * @example
 * writesOnly(db.deleteFrom("runs").where("id", "=", 1).compile()); // true
 * writesOnly(db.selectFrom("runs").selectAll().compile()); // false
 */
export function writesOnly(q: CompiledQuery): boolean {
  const node = q.query as { kind: string; returning?: unknown };
  return (
    (node.kind === "InsertQueryNode" || node.kind === "UpdateQueryNode" || node.kind === "DeleteQueryNode") &&
    node.returning === undefined
  );
}

/** Statements and round trips (waits for the server) of a store's connections, for tests and benchmarks. */
export interface PipelineCounts {
  /** Write transactions committed. */
  transactions: number;
  statements: number;
  roundTrips: number;
}

export interface PipelineOptions {
  /** Adds what the transaction sent and waited for. */
  counts?: PipelineCounts;
  /** Waits for each statement's answer before the next (a connection not in pipeline mode). */
  wait?: boolean;
}

/**
 * Runs `fn` as one transaction on a connection in pg's pipeline mode (`pipeline: true`): `begin`,
 * every statement whose answer holds no rows ({@link writesOnly}) and `commit` are sent without
 * waiting for the server, behind one another on the connection, and the transaction waits only
 * for the statements whose rows it reads, and once for the `commit`. A statement that fails
 * aborts the transaction on the server (the statements after it fail, `commit` rolls back), and
 * its error, the first of the transaction, is the one thrown: at the next statement that waits
 * for its answer, or at the commit. A transaction made of inserts without `returning` is one
 * round trip; a run's whole commit is a few.
 *
 * @example
 * const ids = await pipelinedWrite(pool, async (tx) => {
 *   await tx.query(insertTags); // sent, not awaited on the wire
 *   return tx.query(insertRunReturningId); // waits once for both
 * });
 */
export async function pipelinedWrite<T>(
  pool: pg.Pool,
  fn: (tx: WriteTx) => Promise<T>,
  options: PipelineOptions = {},
): Promise<T> {
  const { counts, wait = false } = options;
  const client = await pool.connect();
  /** Every statement sent, settled (a failure recorded in `failure`, never thrown here). */
  const sent: Promise<void>[] = [];
  let failure: { error: unknown } | null = null;
  const stream = (client as unknown as { connection?: { stream?: Partial<Writable> } }).connection?.stream;
  let corked = false;
  const send = (text: string, values?: readonly unknown[]) => {
    // Statements sent in one turn leave in one write (pg writes each statement's messages in one,
    // so a pipelined commit of 30 statements would make 30 system calls and as many packets).
    if (!corked && stream?.cork && stream.uncork) {
      corked = true;
      stream.cork();
      process.nextTick(() => {
        corked = false;
        stream.uncork?.();
      });
    }
    const answer = client.query({ text, values: values as unknown[] | undefined });
    sent.push(
      answer.then(
        () => undefined,
        (error: unknown) => {
          failure ??= { error };
        },
      ),
    );
    if (counts) counts.statements++;
    return answer;
  };
  /** Waits for everything sent so far (one round trip for all of it). */
  const settle = async () => {
    if (counts) counts.roundTrips++;
    await Promise.all(sent);
  };
  let done = false;
  try {
    send("begin");
    if (wait) await settle();
    const tx: WriteTx = {
      async query<R>(q: CompiledQuery): Promise<R[]> {
        if (done) throw new Error("a write transaction's statement after its end");
        if (failure) throw failure.error;
        const answer = send(q.sql, q.parameters);
        if (!wait && writesOnly(q)) return [];
        await settle();
        if (failure) throw (failure as { error: unknown }).error;
        return (await answer).rows as R[];
      },
    };
    const value = await fn(tx);
    done = true;
    // A transaction aborted by a failed statement ends with `commit` answered `ROLLBACK`.
    send("commit");
    await settle();
    if (failure) throw (failure as { error: unknown }).error;
    if (counts) counts.transactions++;
    client.release();
    return value;
  } catch (e) {
    done = true;
    await Promise.all(sent);
    // Back to no transaction: a connection that cannot roll back is closed, not reused.
    const inTx = client.getTransactionStatus() !== "I";
    const rolledBack = inTx
      ? await client.query("rollback").then(
          () => null,
          (err: Error) => err,
        )
      : null;
    client.release(rolledBack ?? undefined);
    throw e;
  }
}
