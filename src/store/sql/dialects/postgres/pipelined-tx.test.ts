import { Socket } from "node:net";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describePostgres, pgTestDatabase } from "../../test-support/temp-store.js";
import { openPostgres, type PostgresHandle } from "./connect.js";
import { writesOnly } from "./pipelined-tx.js";

interface T {
  kv: { k: string; v: number };
}

describePostgres("pipelined write transactions", () => {
  let pgh: PostgresHandle;
  let plain: PostgresHandle;
  const schema = `pipe_${process.pid}`;
  const db = () => pgh.db as unknown as Kysely<T>;

  beforeAll(async () => {
    const url = await pgTestDatabase();
    // One connection: a transaction that left it in a bad state would fail the next test.
    pgh = openPostgres({ connectionString: url, schema, poolSize: 1, pipeline: true });
    plain = openPostgres({ connectionString: url, schema, poolSize: 2, pipeline: false });
    await sql.raw(`create schema ${schema}`).execute(pgh.db);
    await sql.raw("create table kv (k text primary key, v bigint not null)").execute(pgh.db);
  });
  afterAll(async () => {
    await pgh?.close();
    await plain?.close();
  });

  const insert = (k: string, v: number) => db().insertInto("kv").values({ k, v }).compile();
  const read = async () =>
    Object.fromEntries(
      (await db().selectFrom("kv").selectAll().orderBy("k").execute()).map((r) => [r.k, r.v]),
    );

  it("statements that return no rows go out without waiting: begin, 3 inserts and commit in one round trip", async () => {
    await db().deleteFrom("kv").execute();
    const before = { ...pgh.counts };
    await pgh.write(async (tx) => {
      expect(await tx.query(insert("a", 1))).toEqual([]);
      await tx.query(insert("b", 2));
      await tx.query(insert("c", 3));
    });
    expect(pgh.counts.roundTrips - before.roundTrips).toBe(1);
    expect(pgh.counts.statements - before.statements).toBe(5);
    expect(await read()).toEqual({ a: 1, b: 2, c: 3 });
  });

  it("statements sent without waiting leave in one socket write (one system call, not one per statement)", async () => {
    await db().deleteFrom("kv").execute();
    const proto = Socket.prototype as unknown as Record<"_write" | "_writev", (...a: unknown[]) => unknown>;
    const original = { _write: proto._write, _writev: proto._writev };
    let flushes = 0;
    for (const m of ["_write", "_writev"] as const) {
      proto[m] = function (this: unknown, ...a: unknown[]) {
        flushes++;
        return original[m].apply(this, a);
      };
    }
    try {
      await pgh.write(async (tx) => {
        await tx.query(insert("a", 1));
        await tx.query(insert("b", 2));
        await tx.query(insert("c", 3));
      });
    } finally {
      Object.assign(proto, original);
    }
    // begin, 3 inserts and commit: one write (pg alone writes each statement on its own: 5).
    expect(flushes).toBe(1);
    expect(await read()).toEqual({ a: 1, b: 2, c: 3 });
  });

  it("a statement whose rows are read waits, with everything sent before it", async () => {
    await db().deleteFrom("kv").execute();
    const before = { ...pgh.counts };
    const seen = await pgh.write(async (tx) => {
      await tx.query(insert("a", 1));
      const rows = await tx.query<{ n: number }>(
        db()
          .selectFrom("kv")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .compile(),
      );
      await tx.query(insert("b", 2));
      return Number(rows[0]!.n);
    });
    expect(seen).toBe(1); // the insert sent before the select is seen by it
    expect(pgh.counts.roundTrips - before.roundTrips).toBe(2);
    expect(await read()).toEqual({ a: 1, b: 2 });
  });

  it("a failed statement that was not waited for fails the transaction at its commit: nothing of it is kept, the connection serves on", async () => {
    await db().deleteFrom("kv").execute();
    await db().insertInto("kv").values({ k: "a", v: 1 }).execute();
    const err = await pgh
      .write(async (tx) => {
        await tx.query(insert("b", 2));
        await tx.query(insert("a", 9)); // duplicate key
        await tx.query(insert("c", 3));
      })
      .catch((e) => e);
    expect(err.code).toBe("23505");
    expect(await read()).toEqual({ a: 1 });
    await pgh.write(async (tx) => {
      await tx.query(insert("d", 4));
    });
    expect(await read()).toEqual({ a: 1, d: 4 });
  });

  it("the first failure is the error thrown, not the aborted transaction's refusal of the statements after it", async () => {
    await db().deleteFrom("kv").execute();
    await db().insertInto("kv").values({ k: "a", v: 1 }).execute();
    let reached = false;
    const err = await pgh
      .write(async (tx) => {
        await tx.query(insert("a", 9));
        await tx.query(db().selectFrom("kv").selectAll().compile());
        reached = true;
      })
      .catch((e) => e);
    expect(err.code).toBe("23505");
    expect(reached).toBe(false);
    expect(await read()).toEqual({ a: 1 });
  });

  it("an error thrown by the caller rolls back what was sent", async () => {
    await db().deleteFrom("kv").execute();
    const err = await pgh
      .write(async (tx) => {
        await tx.query(insert("a", 1));
        throw new Error("caller");
      })
      .catch((e) => e);
    expect(err.message).toBe("caller");
    expect(await read()).toEqual({});
  });

  it("two transactions that deadlock both commit: the one the server picks (40P01) runs again", async () => {
    await db().deleteFrom("kv").execute();
    await db()
      .insertInto("kv")
      .values([
        { k: "x", v: 0 },
        { k: "y", v: 0 },
      ])
      .execute();
    const lock = (k: string) => db().selectFrom("kv").selectAll().where("k", "=", k).forUpdate().compile();
    const bump = (k: string) =>
      db()
        .updateTable("kv")
        .set((eb) => ({ v: eb("v", "+", 1) }))
        .where("k", "=", k)
        .compile();
    let holding = 0;
    const bothHold = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (holding >= 2) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    let tries = 0;
    const crossed = (first: string, second: string) =>
      plain.write(async (tx) => {
        tries++;
        await tx.query(lock(first));
        holding++;
        await bothHold;
        await tx.query(lock(second));
        await tx.query(bump(first));
        await tx.query(bump(second));
      });
    await Promise.all([crossed("x", "y"), crossed("y", "x")]);
    expect(tries).toBe(3); // one of the two ran twice
    expect(await read()).toEqual({ x: 2, y: 2 });
  }, 60_000);

  it("?pipeline=off waits for every statement: one round trip each", async () => {
    const before = { ...plain.counts };
    await plain.write(async (tx) => {
      await tx.query(db().deleteFrom("kv").compile());
      await tx.query(insert("a", 1));
    });
    expect(plain.counts.roundTrips - before.roundTrips).toBe(4); // begin, 2 statements, commit
  });

  it("writesOnly: inserts, updates and deletes without returning", () => {
    expect(writesOnly(insert("a", 1))).toBe(true);
    expect(writesOnly(db().insertInto("kv").values({ k: "a", v: 1 }).returning("k").compile())).toBe(false);
    expect(writesOnly(db().updateTable("kv").set({ v: 1 }).compile())).toBe(true);
    expect(writesOnly(db().selectFrom("kv").selectAll().compile())).toBe(false);
    expect(writesOnly(sql`delete from kv`.compile(db()))).toBe(false);
  });
});
