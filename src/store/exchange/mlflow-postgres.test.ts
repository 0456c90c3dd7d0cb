import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "../../cli/test-support/capture.js";
import { expectError } from "../contract/helpers.js";
import { freePort } from "../sql/dialects/postgres/test-support/cluster.js";
import { useTempStores } from "../sql/dialects/sqlite/test-support/temp-store.js";
import { createPgDatabase, pgClusterUrl, pgSkipReason } from "../sql/test-support/temp-store.js";
import { importMlflow, mlflowParams } from "./mlflow-import.js";
import { pgConnectionString } from "./mlflow-postgres.js";
import { mlflowFixtures } from "./test-support/fixtures.js";
import { checkStore, digest } from "./test-support/mlflow-expected.js";
import { loadMlflowFixtureIntoPostgres } from "./test-support/mlflow-postgres-fixture.js";

const FIXTURES = mlflowFixtures();
const server = pgClusterUrl();
const fresh = useTempStores("mlflow-pg");
if (!server) console.log(`MLflow on PostgreSQL import tests skipped: ${pgSkipReason()}`);

describe.skipIf(!server)("importMlflow from an MLflow tracking database on PostgreSQL", () => {
  let url = "";
  beforeAll(async () => {
    // The fixture database MLflow 2.9.2 wrote, moved into PostgreSQL (see loadMlflowFixtureIntoPostgres).
    url = await createPgDatabase(server!, "mlflow");
    const counts = await loadMlflowFixtureIntoPostgres(join(FIXTURES, "mlflow.db"), url);
    const db = new Database(join(FIXTURES, "mlflow.db"), { readonly: true });
    for (const [table, n] of Object.entries(counts)) {
      expect([table, n]).toEqual([
        table,
        (db.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n,
      ]);
    }
    db.close();
    expect(counts).toMatchObject({ experiments: 3, runs: 9, params: 48, metrics: 315, tags: 24 });
  });

  it("the loaded database has MLflow's PostgreSQL column types", async () => {
    const client = new pg.Client(url);
    await client.connect();
    try {
      const { rows } = await client.query(
        `select table_name, column_name, data_type from information_schema.columns
         where table_schema = 'public' and table_name in ('metrics', 'runs', 'params', 'experiments')`,
      );
      const type = Object.fromEntries(rows.map((r) => [`${r.table_name}.${r.column_name}`, r.data_type]));
      expect(type).toMatchObject({
        "metrics.value": "double precision",
        "metrics.is_nan": "boolean",
        "metrics.timestamp": "bigint",
        "metrics.step": "bigint",
        "runs.start_time": "bigint",
        "runs.run_uuid": "character varying",
        "params.value": "character varying",
        "experiments.experiment_id": "integer",
      });
    } finally {
      await client.end();
    }
  });

  it("every run, param, metric, series point, tag and artifact, as from the SQLite file; twice changes nothing", async () => {
    const { store } = await fresh();
    const report = await importMlflow(store, url.replace(/^postgres:/, "postgresql:"), {
      artifactRoot: FIXTURES,
    });
    expect(report).toMatchObject({
      experiments: 3,
      runs: 9,
      replaced: 0,
      unchanged: 0,
      errors: [],
      artifacts: 12,
    });
    expect(report.seriesPoints).toBe(6 * 51 + 3 * 3);
    await checkStore(store, "mlflow.db");
    const before = await digest(store);
    const again = await importMlflow(store, url, { artifactRoot: FIXTURES });
    expect(again).toMatchObject({ runs: 0, replaced: 0, unchanged: 9, errors: [] });
    expect(await digest(store)).toBe(before);

    // The same runs, params and metrics as an import of the SQLite file itself.
    const { store: fromFile } = await fresh();
    await importMlflow(fromFile, `sqlite:///${join(FIXTURES, "mlflow.db").slice(1)}`);
    const facts = async (s: typeof store) =>
      JSON.stringify(
        await Promise.all(
          (await s.listRuns()).map(async (r) => [
            r.runId,
            r.experimentId,
            r.name,
            r.status,
            r.startedAt,
            r.finishedAt,
            r.params,
            Object.entries(r.metrics).map(([k, v]) => [k, String(v)]),
            r.tags,
            await mlflowParams(s, r.runId),
            await Promise.all((await s.listSeries(r.runId)).map((n) => s.getSeries(r.runId, n))),
            (await s.listArtifacts(r.runId)).map((a) => [a.name, a.size, a.digest]),
          ]),
        ),
      );
    expect(await facts(store)).toBe(await facts(fromFile));
  });

  it("labbook import mlflow postgres://... with --artifact-root; SQLAlchemy's postgresql+psycopg2:// is read too", async () => {
    const { store, dir } = await fresh();
    await store.close();
    const r = await cli(["--store", dir, "import", "mlflow", url, "--artifact-root", FIXTURES, "--json"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout)).toMatchObject({ experiments: 3, runs: 9, artifacts: 12, errors: [] });
    const again = await cli([
      "--store",
      dir,
      "import",
      "mlflow",
      url.replace(/^postgres:/, "postgresql+psycopg2:"),
      "--artifact-root",
      FIXTURES,
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("imported 0 runs (0 updated, 9 unchanged");
    expect(pgConnectionString("postgresql+psycopg2://u:p@db:5432/mlflow")).toBe(
      "postgresql://u:p@db:5432/mlflow",
    );
  });

  it("a database without MLflow's tables, and a server that does not answer, are refused by name", async () => {
    const { store } = await fresh();
    const empty = await createPgDatabase(server!, "notmlflow");
    await expectError(importMlflow(store, empty), "INVALID_ARGUMENT");
    const port = await freePort();
    const down = `postgresql://postgres:secret@127.0.0.1:${port}/mlflow`;
    await expectError(importMlflow(store, down), "UNAVAILABLE", /postgres:\*\*\*@127\.0\.0\.1/);
    const message = await importMlflow(store, down).catch((e: Error) => e.message);
    expect(message).not.toContain("secret");
  });
});
