/**
 * Ingest: 10,000 runs, 5 params and 5 metrics each, logged one run at a time through the
 * public API (startRun, logMetrics, finish: each run committed when it finishes), against a
 * raw single-transaction insert of the same rows through the same driver (better-sqlite3).
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { openStore } from "../src/index.js";
import { fmt, seeded, tempDir, timeMedian } from "./util.js";

const RUNS = 10_000;
const REPEAT = 3;

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

async function viaApi(data: ReturnType<typeof workload>): Promise<number> {
  const t = tempDir("ingest");
  const store = await openStore(t.dir);
  await store.createExperiment({ name: "ingest", version: "1.0.0" });
  const ms = await timeMedian(1, async () => {
    for (const d of data) {
      const run = await store.startRun({ experiment: "ingest:1.0.0", params: d.params });
      await run.logMetrics(d.metrics);
      await run.finish();
    }
  });
  await store.close();
  t.remove();
  return ms;
}

async function rawBaseline(data: ReturnType<typeof workload>): Promise<number> {
  const t = tempDir("ingest-raw");
  const store = await openStore(t.dir); // same schema
  await store.close();
  const db = new BetterSqlite3(join(t.dir, "labbook.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const insRun = db.prepare(
    "insert into runs (workspace, run_id, experiment_name, experiment_version, name, status, params, seed, tags, created_at, started_at, finished_at, duration_ms, params_fp, seed_fp, context_fp) values ('default', ?, 'ingest', '1.0.0', null, 'success', ?, 'null', '{}', ?, ?, ?, 0, '', '', '')",
  );
  const insParam = db.prepare(
    "insert into run_params (run_pk, path, type, num, text) values (?, ?, ?, ?, ?)",
  );
  const insMetric = db.prepare(
    "insert into run_metrics (run_pk, name, value, nan, step, ts) values (?, ?, ?, 0, null, ?)",
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

export default async function run(): Promise<void> {
  const data = workload();
  const api: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    api.push(await viaApi(data));
    raw.push(await rawBaseline(data));
  }
  const { median } = await import("./util.js");
  const apiMs = median(api);
  const rawMs = median(raw);
  console.log(`workload: ${RUNS} runs x (5 params, 5 metrics), median of ${REPEAT}`);
  console.log(`labbook API, one commit per run: ${fmt(apiMs)} ms  ${fmt((RUNS / apiMs) * 1000, 0)} runs/s`);
  console.log(
    `raw better-sqlite3, one transaction: ${fmt(rawMs)} ms  ${fmt((RUNS / rawMs) * 1000, 0)} runs/s`,
  );
  console.log(`ratio API/raw time: ${fmt(apiMs / rawMs, 2)}x   target: >= 6,000 runs/s through the API`);
}
