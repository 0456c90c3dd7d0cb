/**
 * Team backend: the figures of the PostgreSQL store beside the embedded SQLite store's, both
 * filled through the public API by writer processes. `npm run bench -- team --store
 * postgres://...` (without `--store`, a throwaway PostgreSQL cluster is started when the server
 * binaries are installed). Options: `--runs N` (runs of the search store, default 100,000),
 * `--writers 8`, `--per-writer 500`, `--rows 1000000` (rows of the aggregated run), `--only
 * ingest,search` (some of the parts: ingest, search, list, aggregate; default all), `--pipelines
 * on` (the PostgreSQL ingest passes, default `off,on`).
 *
 * Measured, on each store: 8 writer processes logging whole runs at once (5 params, 5 metrics,
 * 3 rows, an artifact: runs/s in total, once every writer has opened the store), through run
 * handles and then each run sent at once (`prepareRun`, one `writeRun`, `putArtifact`); a search page of 100 with its totals for each query
 * shape (median of 7); every run listed through `iterateRuns` (seconds, peak RSS of the
 * process); aggregate scores of one run's rows. On PostgreSQL, beside the writers: the same
 * writers sending by hand only the statements any run needs (see `write-runs.ts`, `by-hand`).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { openStore, type Store } from "../src/index.js";
import { durableCluster } from "./support/stores.js";
import { fmt, tempDir, timeMedian } from "./util.js";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const SEARCH_RUNS = Number(option("runs", "100000"));
const WRITERS = Number(option("writers", "8"));
const PER_WRITER = Number(option("per-writer", "500"));
const ROWS = Number(option("rows", "1000000"));
const ONLY = new Set(option("only", "ingest,search,list,aggregate").split(","));
/** PostgreSQL ingest passes: `off` (one round trip per statement, the baseline) and `on` (pipelined). */
const PIPELINES = option("pipelines", "off,on").split(",");

const writer = join(import.meta.dirname, "support", "write-runs.ts");

/**
 * Starts `count` writer processes, each logging `each` runs once all are ready (start-up not
 * measured); returns the runs per second of the writing, in total.
 */
async function writers(
  uri: string,
  artifacts: string,
  count: number,
  each: number,
  kind: "whole" | "batched" | "by-hand" | "",
) {
  const procs = Array.from({ length: count }, (_, w) =>
    spawn(
      process.execPath,
      ["--import", "tsx", writer, uri, String(w * each), String(each), ...(kind ? [kind] : [])],
      { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, LABBOOK_ARTIFACTS: artifacts } },
    ),
  );
  const totals = { transactions: 0, statements: 0, roundTrips: 0 };
  const ended = procs.map(
    (p) =>
      new Promise<void>((resolve, reject) => {
        let err = "";
        let out = "";
        p.stderr.on("data", (d) => {
          err += d;
        });
        p.stdout.on("data", (d) => {
          out += d;
        });
        p.on("exit", () => {
          const m = /^counts (.*)$/m.exec(out);
          if (!m) return;
          const c = JSON.parse(m[1]!) as typeof totals;
          totals.transactions += c.transactions;
          totals.statements += c.statements;
          totals.roundTrips += c.roundTrips;
        });
        p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}: ${err}`))));
      }),
  );
  await Promise.all(procs.map((p) => new Promise<void>((resolve) => p.stdout.once("data", () => resolve()))));
  const t0 = performance.now();
  for (const p of procs) p.stdin.end("go\n");
  await Promise.all(ended);
  return { perSecond: (count * each) / ((performance.now() - t0) / 1000), totals };
}

const SHAPES: [string, { filter?: string; sort?: string }][] = [
  ["no filter, newest first", {}],
  ["metric range, sorted by it", { filter: "metrics.acc > 0.5", sort: "-metrics.acc" }],
  ["metric range and param", { filter: 'metrics.acc > 0.5 and params.model = "b"', sort: "-metrics.acc" }],
  ["param range, sorted by a metric", { filter: "params.dropout < 0.1", sort: "-metrics.f1" }],
  ["param in, sorted by a param", { filter: "params.depth in (1, 2, 3)", sort: "params.lr" }],
  ["name like", { filter: 'name like "%x%" or params.model = "a"' }],
];

async function figures(label: string, uri: string, artifacts: string) {
  console.log(`\n-- ${label}`);
  const sub = (name: string) => (uri.startsWith("postgres") ? withSchema(uri, name) : join(uri, name));
  if (ONLY.has("ingest")) {
    const pg = uri.startsWith("postgres");
    // Baseline in the same run: the same writers with one round trip per statement.
    for (const pipeline of pg ? PIPELINES : [""]) {
      const target = pipeline ? `${sub(`ingest_${pipeline}`)}&pipeline=${pipeline}` : sub("ingest");
      const { perSecond, totals } = await writers(target, artifacts, WRITERS, PER_WRITER, "whole");
      const how = pipeline ? ` (?pipeline=${pipeline})` : "";
      const runs = WRITERS * PER_WRITER;
      const trips = totals.transactions
        ? `; per run: ${fmt(totals.transactions / runs)} write transactions, ${fmt(totals.statements / runs)} statements in ${fmt(totals.roundTrips / runs)} round trips`
        : "";
      console.log(
        `${WRITERS} writers x ${PER_WRITER} whole runs${how}: ${fmt(perSecond, 0)} runs/s in total${trips}`,
      );
    }
    // The same runs, each sent at once (prepareRun, one writeRun, putArtifact), as remote clients do.
    const batched = await writers(sub("ingest_batched"), artifacts, WRITERS, PER_WRITER, "batched");
    const runs = WRITERS * PER_WRITER;
    const trips = batched.totals.transactions
      ? `; per run: ${fmt(batched.totals.transactions / runs)} write transactions, ${fmt(batched.totals.statements / runs)} statements in ${fmt(batched.totals.roundTrips / runs)} round trips`
      : "";
    console.log(
      `${WRITERS} writers x ${PER_WRITER} whole runs, each sent at once (prepareRun + writeRun + putArtifact): ${fmt(batched.perSecond, 0)} runs/s in total${trips}`,
    );
    if (pg) {
      // The floor: what the fewest statements of a run visible from its start reach at once.
      const hand = await writers(sub("ingest_by_hand"), artifacts, WRITERS, PER_WRITER, "by-hand");
      console.log(
        `${WRITERS} writers x ${PER_WRITER} runs by hand through node-postgres (the run's row, commit; 5 metrics and the end, commit; nothing else): ${fmt(hand.perSecond, 0)} runs/s in total (the floor beside the figures above)`,
      );
    }
  }
  if (!ONLY.has("search") && !ONLY.has("list") && !ONLY.has("aggregate")) return;
  const searchUri = sub("search");
  if (ONLY.has("search") || ONLY.has("list")) {
    const fill = (await writers(searchUri, artifacts, WRITERS, Math.ceil(SEARCH_RUNS / WRITERS), ""))
      .perSecond;
    console.log(
      `filled ${SEARCH_RUNS.toLocaleString()} runs through the API at ${fmt(fill, 0)} runs/s (not a target)`,
    );
  }
  const store = await openStore(searchUri, { artifacts });
  try {
    if (ONLY.has("search")) {
      await store.searchRuns({ filter: "params.lr > 0", pageSize: 1 }); // a first search indexes (SQLite)
      for (const [name, q] of SHAPES) {
        const ms = await timeMedian(7, () => store.searchRuns({ ...q, pageSize: 100 }).then(() => undefined));
        console.log(`search page of 100 with totals, ${name}: ${fmt(ms)} ms`);
      }
    }
    if (ONLY.has("list")) await list(store);
    if (ONLY.has("aggregate")) await aggregate(store);
  } finally {
    await store.close();
  }
}

async function list(store: Store) {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  let n = 0;
  for await (const _ of store.iterateRuns({})) n++;
  clearInterval(timer);
  console.log(
    `iterateRuns over ${n.toLocaleString()} runs: ${fmt((performance.now() - t0) / 1000, 2)} s, peak RSS ${fmt(peak / 2 ** 20, 0)} MB`,
  );
}

async function aggregate(store: Store) {
  const run = await store.startRun({ experiment: "rows" });
  for (let at = 0; at < ROWS; at += 20_000) {
    await run.logRows(
      Array.from({ length: Math.min(20_000, ROWS - at) }, (_, k) => ({
        datapointId: `d${at + k}`,
        scores: { em: (at + k) % 3 ? 1 : 0, f1: ((at + k) % 100) / 100 },
      })),
    );
  }
  await run.finish();
  const ms = await timeMedian(5, () => store.aggregateScores(run.runId).then(() => undefined));
  console.log(`aggregateScores over ${ROWS.toLocaleString()} rows (2 scores): ${fmt(ms)} ms`);
}

function withSchema(uri: string, schema: string): string {
  return `${uri}${uri.includes("?") ? "&" : "?"}schema=${schema}`;
}

export default async function main(): Promise<void> {
  const sqlite = tempDir("team");
  try {
    await figures("SQLite (embedded)", sqlite.dir, `file:${join(sqlite.dir, "artifacts")}`);
  } finally {
    sqlite.remove();
  }
  // `--store postgres` (or none): a throwaway cluster of this run.
  let uri = option("store", "postgres");
  if (uri === "postgres") uri = "";
  const cluster = uri ? null : await durableCluster();
  if (!uri && !cluster) {
    console.log("no --store postgres://... and no PostgreSQL server binaries: PostgreSQL figures skipped");
    return;
  }
  uri ||= `${cluster!.url}/postgres`;
  const artifacts = tempDir("team-pg");
  try {
    await figures(`PostgreSQL (${uri.replace(/:[^:@/]*@/, ":***@")})`, uri, `file:${artifacts.dir}`);
  } finally {
    artifacts.remove();
    await cluster?.stop();
  }
}
