/**
 * Search: 100,000 runs (5 params, 5 metrics each, seeded), inserted in one raw transaction (the
 * build is not measured). Measured: the filter `metrics.acc > 0.5 and params.model = "b"` sorted
 * by `-metrics.acc`, first page of 100 with its pagination totals (median), against a hand-written
 * better-sqlite3 SELECT of the same page and count in the same process; then the full listing of
 * every match, and of all 100,000 runs, through `iterateRuns`, with the process's peak RSS.
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { openSqliteStore } from "../src/store/sql/dialects/sqlite/open.js";
import { fmt, median, seeded, tempDir, timeMedian } from "./util.js";

const RUNS = 100_000;
const FILTER = 'metrics.acc > 0.5 and params.model = "b"';
const SORT = "-metrics.acc";

export function build(file: string): void {
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  const rnd = seeded(7);
  const run = db.prepare(
    `insert into runs (id, workspace, run_id, experiment_name, experiment_version, name, status, params, seed, tags, error,
       created_at, started_at, finished_at, duration_ms, params_fp, seed_fp, context_fp, execution_id)
     values (?, 'default', ?, 'search', '1.0.0', null, 'success', ?, 'null', '{}', null, ?, ?, ?, 5, 'p', 's', 'c', null)`,
  );
  const param = db.prepare("insert into run_params (run_pk, path, type, num, text) values (?, ?, ?, ?, ?)");
  const metric = db.prepare(
    "insert into run_metrics (run_pk, name, value, nan, step, ts) values (?, ?, ?, 0, null, ?)",
  );
  db.prepare(
    "insert into experiments (workspace, name, version, description, metadata, tags, created_at) values ('default', 'search', '1.0.0', null, '{}', '{}', 0)",
  ).run();
  const t0 = 1_790_000_000_000;
  db.transaction(() => {
    for (let i = 1; i <= RUNS; i++) {
      const params = {
        lr: 10 ** -(1 + Math.floor(rnd() * 4)),
        model: rnd() < 0.5 ? "a" : "b",
        depth: 1 + Math.floor(rnd() * 8),
        dropout: rnd() / 2,
        i,
      };
      const ts = t0 + i * 1000;
      run.run(i, `run${String(i).padStart(6, "0")}`, JSON.stringify(params), ts, ts, ts + 5);
      for (const [k, v] of Object.entries(params)) {
        if (typeof v === "number") param.run(i, k, "number", v, null);
        else param.run(i, k, "string", null, v);
      }
      for (const m of ["acc", "loss", "f1", "precision", "recall"]) metric.run(i, m, rnd(), ts);
    }
    // Every run has its param leaves (written above): as the store marks them (migration 7).
    db.prepare("update run_index set through = ? where id = 1").run(RUNS);
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

export default async function main(): Promise<void> {
  const t = tempDir("search");
  (await openSqliteStore(t.dir)).close();
  const file = join(t.dir, "labbook.db");
  const b0 = performance.now();
  build(file);
  console.log(
    `built ${RUNS.toLocaleString()} runs in ${fmt((performance.now() - b0) / 1000, 1)} s (not measured)`,
  );
  const store = await openSqliteStore(t.dir);
  const raw = new BetterSqlite3(file, { readonly: true });
  raw.pragma("cache_size = -65536"); // as the store sets it
  // The baseline: the same page and count hand-written for this one query (driven by the
  // metric index, one primary-key probe of params per candidate).
  const rawPage = raw.prepare(
    `select r.id from run_metrics m join runs r on r.id = m.run_pk
     where m.name = 'acc' and m.value > 0.5 and r.workspace = 'default'
       and exists (select 1 from run_params p where p.run_pk = r.id and p.path = 'model' and p.type = 'string' and +p.text = 'b')
     order by m.value desc, r.run_id desc limit 100`,
  );
  const rawCount = raw.prepare(
    `select count(*) as n from run_metrics m join runs r on r.id = m.run_pk
     where m.name = 'acc' and m.value > 0.5 and r.workspace = 'default'
       and exists (select 1 from run_params p where p.run_pk = r.id and p.path = 'model' and p.type = 'string' and +p.text = 'b')`,
  );
  let total = 0;
  const coldTimes: number[] = [];
  let firstIds: string[] = [];
  const query = async () => {
    const page = await store.searchRuns({ filter: FILTER, sort: SORT, pageSize: 100 });
    total = page.pagination.totalResults;
    firstIds = page.data.map((r) => r.runId);
  };
  await query();
  const pageMs = await timeMedian(21, query);
  // Cold: a run logged (through the API, 5 params and 5 metrics) before each search, so the
  // count cannot be reused as it was: the runs this connection changed are re-tested.
  let logged = 0;
  const logRun = async (into: typeof store) => {
    const rnd = seeded(1000 + ++logged);
    const run = await into.startRun({
      experiment: "search:1.0.0",
      params: { lr: 0.01, model: rnd() < 0.5 ? "a" : "b", depth: 3, dropout: 0.1, i: RUNS + logged },
    });
    await run.logMetrics({ acc: rnd(), loss: rnd(), f1: rnd(), precision: rnd(), recall: rnd() });
    await run.finish();
  };
  await timeMedian(11, async () => {
    await logRun(store);
    const t1 = performance.now();
    await query();
    coldTimes.push(performance.now() - t1);
  });
  // Another connection (as another process would) commits before each search: a full recount.
  const writer = await openSqliteStore(t.dir);
  const foreignTimes: number[] = [];
  await timeMedian(11, async () => {
    await logRun(writer);
    const t1 = performance.now();
    await query();
    foreignTimes.push(performance.now() - t1);
  });
  await writer.close();
  const idsOnlyMs = await timeMedian(21, async () => {
    await store.searchRuns({ filter: FILTER, sort: SORT, pageSize: 100, fields: [] });
  });
  let rawIds: number[] = [];
  const baseMs = await timeMedian(21, () => {
    rawIds = (rawPage.all() as { id: number }[]).map((r) => r.id);
    rawCount.get();
  });
  const same = rawIds.every((id, i) => firstIds[i] === `run${String(id).padStart(6, "0")}`);
  console.log(
    `matches: ${total.toLocaleString()} of ${RUNS.toLocaleString()} runs; first page equals the raw SELECT: ${same}`,
  );
  const cold = median(coldTimes);
  console.log(`first page of 100 (${FILTER}, sort ${SORT}, with pagination totals), target < 20 ms:`);
  console.log(
    `  after a run logged by this store before each search (its count brought up to date run by run): median ${fmt(cold, 2)} ms; ratio to baseline ${fmt(cold / baseMs, 2)}x`,
  );
  console.log(
    `  after a commit by another connection before each search (full recount): median ${fmt(median(foreignTimes), 2)} ms; ratio to baseline ${fmt(median(foreignTimes) / baseMs, 2)}x`,
  );
  console.log(
    `  warm (same query again, the count cached until the next write): median ${fmt(pageMs, 2)} ms; ids only (fields: []): ${fmt(idsOnlyMs, 2)} ms`,
  );
  console.log(
    `  baseline: hand-written better-sqlite3 SELECT of the same page + count(*): median ${fmt(baseMs, 2)} ms`,
  );

  let peak = process.memoryUsage().rss;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const listAll = async (filter: string | undefined, sort: string | undefined, fields?: []) => {
    let n = 0;
    const t1 = performance.now();
    for await (const r of store.iterateRuns({ filter, sort, ...(fields ? { fields } : {}) })) {
      n += r.runId.length > 0 ? 1 : 0;
      if ((n & 1023) === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    return { n, ms: performance.now() - t1 };
  };
  const matches = await listAll(FILTER, SORT);
  // The whole listing three times (the machine is shared): its median.
  const wholes = [
    await listAll(undefined, undefined),
    await listAll(undefined, undefined),
    await listAll(undefined, undefined),
  ];
  const everything = wholes.sort((a, b) => a.ms - b.ms)[1]!;
  const everythingBare = await listAll(undefined, undefined, []);
  clearInterval(sample);
  const rawT = performance.now();
  const rawAll = raw
    .prepare("select * from runs where workspace = 'default' order by created_at desc, run_id")
    .all().length;
  const rawAllMs = performance.now() - rawT;
  console.log(
    `iterateRuns, every match (${matches.n.toLocaleString()} runs, sort ${SORT}): ${fmt(matches.ms, 0)} ms`,
  );
  console.log(
    `iterateRuns, all ${everything.n.toLocaleString()} runs (params, metrics, derived): median of 3 ${fmt(everything.ms, 0)} ms [${wholes.map((w) => fmt(w.ms, 0)).join(", ")}] (target < 1,500 ms); baseline raw SELECT * of ${rawAll.toLocaleString()} runs: ${fmt(rawAllMs, 0)} ms; ratio ${fmt(everything.ms / rawAllMs, 1)}x`,
  );
  console.log(
    `iterateRuns, all ${everythingBare.n.toLocaleString()} runs without params, metrics, derived (fields: []): ${fmt(everythingBare.ms, 0)} ms`,
  );
  console.log(`peak RSS during the listings: ${fmt(peak / 2 ** 20, 0)} MB (target < 300 MB)`);
  raw.close();
  await store.close();
  t.remove();
}
