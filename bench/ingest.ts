/**
 * Ingest: 10,000 runs, 5 params and 5 metrics each, logged one run at a time through the
 * public API (startRun commits the run as `running`, so that every reader sees it from the
 * start; logMetrics buffers; finish commits the metrics and the end), against raw inserts of the
 * same rows through the same driver (better-sqlite3) into the same schema: one transaction for
 * all runs; one transaction per run (the single commit per run the API made before runs were
 * visible from their start); and two transactions per run, the run's start then its metrics and
 * end (what the API must do), each with the store's connection settings, a random run id and the
 * fingerprints as the store writes them, metrics pending for the metric-value index and no param
 * leaves, as the store writes them: see migrations 6-9). The one-transaction baseline writes the
 * param leaves too. The API's figure includes the run index: the writer indexes the runs it
 * logged every 5,000 (param leaves written, metric values moved into the value index), which
 * the raw baselines do not. Also through the API, each whole run in one commit (`prepareRun`,
 * then `writeRun` with the run, its metrics and its end): the API's own work beside the raw
 * one-commit loop. Also printed: the first search after the ingest (on a metric),
 * which indexes the runs still waiting (fewer than 5,000), and a params search after it. `--runs N` and `--repeat N` take a
 * smaller workload (the figures in docs/benchmarks.md are of the defaults). With `--store
 * postgres://...` the same API ingest runs on PostgreSQL after SQLite's (each repeat in a schema
 * of its own, dropped after it), against the same two commits per run sent by hand through
 * node-postgres (`begin`, the run with `returning id`, `commit`; `begin`, the metrics and the
 * end, `commit`: one round trip per statement).
 */
import { createHash, randomUUID } from "node:crypto";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { openStore } from "../src/index.js";
import { WAL_AUTOCHECKPOINT_PAGES } from "../src/store/sql/dialects/sqlite/connect.js";
import { benchStore, option as textOption } from "./support/bench-store.js";
import { fmt, median, seeded, tempDir, timeMedian } from "./util.js";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a whole number >= 1`);
  return n;
}

const RUNS = option("runs", 10_000);
const REPEAT = option("repeat", 5);

function workload() {
  const rnd = seeded(42);
  return Array.from({ length: RUNS }, (_, i) => ({
    params: {
      lr: 10 ** -(1 + Math.floor(rnd() * 4)),
      model: rnd() < 0.5 ? "a" : "b",
      depth: 1 + Math.floor(rnd() * 8),
      dropout: rnd() / 2,
      i,
    },
    metrics: { acc: rnd(), loss: rnd() * 2, f1: rnd(), precision: rnd(), recall: rnd() },
  }));
}

const firstSearch: number[] = [];
const firstParamSearch: number[] = [];

type Run = ReturnType<typeof workload>[number];
type Store = Awaited<ReturnType<typeof openStore>>;

/**
 * Logs every run with `logRun` into a new store (its experiment created first) and answers the
 * time it took; `check` then reads the store, before it is closed and removed.
 */
async function timedIngest(
  label: string,
  data: readonly Run[],
  logRun: (store: Store, d: Run) => Promise<void>,
  check: (store: Store) => Promise<void>,
): Promise<number> {
  const t = tempDir(label);
  const store = await openStore(t.dir);
  await store.createExperiment({ name: "ingest", version: "1.0.0" });
  const ms = await timeMedian(1, async () => {
    for (const d of data) await logRun(store, d);
  });
  await check(store);
  await store.close();
  t.remove();
  return ms;
}

function viaApi(data: ReturnType<typeof workload>): Promise<number> {
  return timedIngest(
    "ingest",
    data,
    async (store, d) => {
      const run = await store.startRun({ experiment: "ingest:1.0.0", params: d.params });
      await run.logMetrics(d.metrics);
      await run.finish();
    },
    async (store) => {
      const t0 = performance.now();
      const page = await store.searchRuns({
        filter: "metrics.acc > 0.5",
        sort: "-metrics.acc",
        pageSize: 10,
      });
      firstSearch.push(performance.now() - t0);
      if (page.data.length !== 10) throw new Error("the search after the ingest found too few runs");
      const t1 = performance.now();
      const byParam = await store.searchRuns({ filter: 'params.model = "b"', pageSize: 10 });
      firstParamSearch.push(performance.now() - t1);
      const expected = data.filter((d) => d.params.model === "b").length;
      if (byParam.pagination.totalResults !== expected)
        throw new Error("the params search after the ingest miscounted");
    },
  );
}

/**
 * The same runs through the public API, each whole run in one commit: `prepareRun`, then
 * `writeRun` with the run, its metrics and its end (the store's path for finished runs, as an
 * import writes them). `startRun` cannot take it: a run is visible as `running` once it returns.
 */
function viaApiOneCommit(data: ReturnType<typeof workload>): Promise<number> {
  return timedIngest(
    "ingest-one",
    data,
    async (store, d) => {
      const create = await store.prepareRun({ experiment: "ingest:1.0.0", params: d.params });
      const timestamp = Date.now();
      const metrics = Object.entries(d.metrics).map(([name, value]) => ({
        name,
        value,
        step: null,
        timestamp,
      }));
      await store.writeRun(create.runId, { create, metrics, end: { status: "success" } });
    },
    async (store) => {
      const page = await store.searchRuns({ filter: "metrics.acc > 0.5", pageSize: 1 });
      if (page.pagination.totalResults !== data.filter((d) => d.metrics.acc > 0.5).length)
        throw new Error("the one-commit ingest miscounted");
    },
  );
}

async function rawBaseline(
  data: ReturnType<typeof workload>,
  commits: "one" | "per-run" | "start-and-end",
): Promise<number> {
  const t = tempDir("ingest-raw");
  const store = await openStore(t.dir); // same schema
  await store.close();
  const db = new BetterSqlite3(join(t.dir, "labbook.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  if (commits !== "one") {
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`); // as the store sets them
    db.pragma("cache_size = -65536");
    const ms = commits === "per-run" ? perRunInserts(db, data) : startAndEndInserts(db, data);
    db.close();
    t.remove();
    return ms;
  }
  const insRun = db.prepare(
    "insert into runs (workspace, run_id, experiment_name, experiment_version, name, status, params, seed, tags, created_at, started_at, finished_at, duration_ms, params_fp, seed_fp, context_fp) values ('default', ?, 'ingest', '1.0.0', null, 'success', ?, 'null', '{}', ?, ?, ?, 0, '', '', '')",
  );
  const insParam = db.prepare(
    "insert into run_params (run_pk, path, type, num, text) values (?, ?, ?, ?, ?)",
  );
  const insMetric = db.prepare(
    "insert into run_metrics (run_pk, name, value, nan, step, ts, pending) values (?, ?, ?, 0, null, ?, 1)",
  );
  const ms = await timeMedian(1, () => {
    db.transaction(() => {
      data.forEach((d, i) => {
        const now = Date.now();
        const pk = Number(insRun.run(`raw${i}`, JSON.stringify(d.params), now, now, now).lastInsertRowid);
        for (const [k, v] of Object.entries(d.params)) {
          if (typeof v === "number") insParam.run(pk, k, "number", v, null);
          else insParam.run(pk, k, "string", null, v);
        }
        for (const [k, v] of Object.entries(d.metrics)) insMetric.run(pk, k, v, now);
      });
    })();
  });
  db.close();
  t.remove();
  return ms;
}

/** One `BEGIN IMMEDIATE ... COMMIT` per run, writing what the store's commit writes. */
function perRunInserts(db: BetterSqlite3.Database, data: ReturnType<typeof workload>): number {
  const insRun = db.prepare(
    "insert into runs (workspace, run_id, experiment_name, experiment_version, name, status, params, seed, tags, error, created_at, started_at, finished_at, duration_ms, params_fp, seed_fp, context_fp, execution_id) values ('default', ?, 'ingest', '1.0.0', null, 'success', ?, 'null', '{}', null, ?, ?, ?, ?, ?, ?, ?, null)",
  );
  const insMetric = db.prepare(
    "insert into run_metrics (run_pk, name, value, nan, step, ts, pending) values (?, ?, ?, 0, null, ?, 1)",
  );
  const sha = (text: string) => createHash("sha256").update(text).digest("hex");
  const nullFp = sha("null");
  const one = db.transaction((d: ReturnType<typeof workload>[number]) => {
    const start = Date.now();
    const json = JSON.stringify(d.params);
    const id = randomUUID().replace(/-/g, "");
    const end = Date.now();
    const pk = Number(
      insRun.run(id, json, start, start, end, end - start, sha(json), nullFp, nullFp).lastInsertRowid,
    );
    for (const [k, v] of Object.entries(d.metrics)) insMetric.run(pk, k, v, end);
  });
  const t0 = performance.now();
  for (const d of data) one.immediate(d);
  return performance.now() - t0;
}

/** Two `BEGIN IMMEDIATE ... COMMIT` per run: the run as `running` (with its heartbeat), then its metrics and end. */
function startAndEndInserts(db: BetterSqlite3.Database, data: ReturnType<typeof workload>): number {
  const insRun = db.prepare(
    "insert into runs (workspace, run_id, experiment_name, experiment_version, name, status, params, seed, tags, error, created_at, started_at, finished_at, duration_ms, params_fp, seed_fp, context_fp, execution_id, heartbeat_at) values ('default', ?, 'ingest', '1.0.0', null, 'running', ?, 'null', '{}', null, ?, ?, null, null, ?, ?, ?, null, ?)",
  );
  const endRun = db.prepare(
    "update runs set status = 'success', finished_at = ?, duration_ms = ?, error = null where id = ?",
  );
  const insMetric = db.prepare(
    "insert into run_metrics (run_pk, name, value, nan, step, ts, pending) values (?, ?, ?, 0, null, ?, 1)",
  );
  const sha = (text: string) => createHash("sha256").update(text).digest("hex");
  const nullFp = sha("null");
  const start = db.transaction((d: ReturnType<typeof workload>[number]) => {
    const at = Date.now();
    const json = JSON.stringify(d.params);
    const id = randomUUID().replace(/-/g, "");
    return { pk: Number(insRun.run(id, json, at, at, sha(json), nullFp, nullFp, at).lastInsertRowid), at };
  });
  const end = db.transaction((d: ReturnType<typeof workload>[number], run: { pk: number; at: number }) => {
    const at = Date.now();
    for (const [k, v] of Object.entries(d.metrics)) insMetric.run(run.pk, k, v, at);
    endRun.run(at, at - run.at, run.pk);
  });
  const t0 = performance.now();
  for (const d of data) end.immediate(d, start.immediate(d));
  return performance.now() - t0;
}

/** The API ingest on PostgreSQL, against hand-written statements through node-postgres. */
async function onPostgres(data: ReturnType<typeof workload>): Promise<void> {
  const api: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const b = await benchStore(`ingest${i}`);
    try {
      await b.store.createExperiment({ name: "ingest", version: "1.0.0" });
      const t0 = performance.now();
      for (const d of data) {
        const run = await b.store.startRun({ experiment: "ingest:1.0.0", params: d.params });
        await run.logMetrics(d.metrics);
        await run.finish();
      }
      api.push(performance.now() - t0);
      const url = new URL(b.uri);
      url.searchParams.delete("schema");
      const client = new pg.Client(url.toString());
      await client.connect();
      try {
        await client.query(`set search_path to ${new URL(b.uri).searchParams.get("schema")}`);
        const t1 = performance.now();
        for (const d of data) {
          const at = Date.now();
          const json = JSON.stringify(d.params);
          await client.query("begin");
          const { rows } = await client.query(
            "insert into runs (workspace, run_id, experiment_name, experiment_version, status, params, seed, tags, created_at, started_at, params_fp, seed_fp, context_fp, heartbeat_at) values ('default', $1, 'ingest', '1.0.0', 'running', $2, 'null', '{}', $3, $3, $4, $5, $5, $3) returning id",
            [randomUUID().replace(/-/g, ""), json, at, createHash("sha256").update(json).digest("hex"), "-"],
          );
          await client.query("commit");
          const pk = Number(rows[0].id);
          await client.query("begin");
          const names = Object.keys(d.metrics);
          await client.query(
            "insert into run_metrics (run_pk, name, value, nan, step, ts, pending) select $1, n, v, 0, null, $2, 0 from unnest($3::text[], $4::float8[]) as t(n, v)",
            [pk, at, names, names.map((n) => d.metrics[n as keyof typeof d.metrics])],
          );
          await client.query(
            "update runs set status = 'success', finished_at = $1, duration_ms = 0 where id = $2",
            [Date.now(), pk],
          );
          await client.query("commit");
        }
        raw.push(performance.now() - t1);
      } finally {
        await client.end();
      }
    } finally {
      await b.remove();
    }
  }
  const rate = (ms: number) => `${fmt((RUNS / ms) * 1000, 0)} runs/s`;
  console.log(`\n-- PostgreSQL: ${RUNS} runs x (5 params, 5 metrics), median of ${REPEAT}`);
  console.log(`labbook API, start and end committed: ${rate(median(api))}  [${api.map(rate).join(", ")}]`);
  console.log(
    `node-postgres by hand, start and end committed (no param leaves): ${rate(median(raw))}  [${raw.map(rate).join(", ")}]`,
  );
  console.log(`ratio API/by-hand time: ${fmt(median(api) / median(raw), 2)}x`);
}

export default async function run(): Promise<void> {
  const data = workload();
  const api: number[] = [];
  const raw: number[] = [];
  const rawPerRun: number[] = [];
  const rawTwo: number[] = [];
  const apiOne: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    api.push(await viaApi(data));
    apiOne.push(await viaApiOneCommit(data));
    rawTwo.push(await rawBaseline(data, "start-and-end"));
    rawPerRun.push(await rawBaseline(data, "per-run"));
    raw.push(await rawBaseline(data, "one"));
  }
  const apiMs = median(api);
  const rawMs = median(raw);
  const perRunMs = median(rawPerRun);
  const twoMs = median(rawTwo);
  const rate = (ms: number) => `${fmt((RUNS / ms) * 1000, 0)} runs/s`;
  console.log(`workload: ${RUNS} runs x (5 params, 5 metrics), median of ${REPEAT}`);
  console.log(
    `labbook API, start and end committed: ${fmt(apiMs)} ms  ${rate(apiMs)}  [${api.map(rate).join(", ")}]`,
  );
  console.log(`raw better-sqlite3, start and end committed: ${fmt(twoMs)} ms  ${rate(twoMs)}`);
  console.log(
    `labbook API, each whole run in one commit (prepareRun + writeRun): ${fmt(median(apiOne))} ms  ${rate(median(apiOne))}`,
  );
  console.log(`raw better-sqlite3, one commit per run: ${fmt(perRunMs)} ms  ${rate(perRunMs)}`);
  console.log(`raw better-sqlite3, one transaction: ${fmt(rawMs)} ms  ${rate(rawMs)}`);
  console.log(
    `first search after the ingest, on a metric (indexes the runs still waiting for the run index, fewer than 5,000): ${fmt(median(firstSearch))} ms`,
  );
  console.log(`then a first search on a param: ${fmt(median(firstParamSearch))} ms`);
  console.log(
    `ratio API/raw time: ${fmt(apiMs / twoMs, 2)}x to start and end committed, ${fmt(apiMs / perRunMs, 2)}x to one commit per run, ${fmt(apiMs / rawMs, 2)}x to one transaction   target: >= 6,000 runs/s through the API`,
  );
  if (/^postgres(ql)?(:\/\/|$)/.test(textOption("store") ?? "")) await onPostgres(data);
}
