import { sql } from "kysely";
import { expect, it } from "vitest";
import { postgresDialect } from "../dialects/postgres/dialect.js";
import { describePostgres, useTempStores } from "../test-support/temp-store.js";
import { driveSteps, kyselyTx } from "../write-tx.js";
import { applySummarySteps } from "./field-summaries.js";
import { metricLeaf, runColumnLeaves, SummaryDelta } from "./field-summary.js";

/** Fails instead of hanging when `p` waits on a lock that is never released. */
function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still waiting after 20 s`)), 20_000);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

describePostgres("field summaries in slots (migration 14)", () => {
  const fresh = useTempStores("slots", "postgres");

  it("a writer of an experiment does not wait for another transaction's summaries of it to commit", async () => {
    const t = await fresh();
    const other = await t.another();
    const first = await t.store.startRun({ experiment: "slots:1.0.0", name: "first" });
    await first.finish();
    const scope = { workspace: t.store.ctx.workspace, experimentName: "slots", experimentVersion: "1.0.0" };
    const delta = new SummaryDelta();
    delta.addRun(
      [
        ...runColumnLeaves({
          name: "open",
          experiment_name: "slots",
          experiment_version: "1.0.0",
          created_at: 1,
          started_at: 1,
          finished_at: null,
          duration_ms: null,
        }),
        metricLeaf("acc", 0.5, false),
      ],
      1,
    );
    // A transaction that has added to the summaries of every field a run has, still open while
    // another handle (another process, another replica) logs a whole run of the same experiment.
    await t.store.ctx.db.transaction().execute(async (trx) => {
      await driveSteps(applySummarySteps({ db: trx, dialect: postgresDialect }, scope, delta), kyselyTx(trx));
      await within(
        (async () => {
          const run = await other.startRun({ experiment: "slots:1.0.0", name: "second" });
          await run.logMetrics({ acc: 0.9 });
          await run.finish();
        })(),
        "the second writer",
      );
    });
    // Read back as one figure per field, over every slot written.
    const { rows } = await sql<{ n: number }>`select count(distinct slot) as n from field_summaries
      where field = 'experiment'`.execute(t.store.ctx.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(1);
    const catalog = await other.fieldCatalog({ experiment: "slots" });
    expect(catalog.find((f) => f.field === "experiment")).toMatchObject({ count: 3 });
    expect(catalog.find((f) => f.field === "metrics.acc")).toMatchObject({ count: 2, min: 0.5, max: 0.9 });
    expect(catalog.find((f) => f.field === "name")?.values).toEqual(["first", "open", "second"]);
  });
});
