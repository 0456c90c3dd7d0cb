/**
 * Server: 100,000 runs in a SQLite store (built by `bench/search.ts`'s raw insert, not
 * measured), served by `startServer` on loopback. autocannon (in a worker thread) keeps 50
 * connections busy for 10 s (after 2 s of warm-up) on one search page of 50 runs with a
 * two-clause filter, sorted; then one connection alone for 5 s (the cost of one request).
 * Printed: requests/s, p50/p99 latency and errors, against the baseline of the same query
 * called in-process on the same store (its median over 100 calls before and 100 after the load,
 * and the throughput one thread could reach with it). Then the same load on
 * `labbook serve --workers 2` (two server processes sharing the port over the same store).
 * autocannon always runs in a worker thread: in a main thread that also holds the benchmark's
 * heap it measured multi-second tails that were its own pauses, not the server's.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { startServer } from "../src/server/start.js";
import { openSqliteStore } from "../src/store/sql/dialects/sqlite/open.js";
import { build } from "./search.js";
import { fmt, median, tempDir } from "./util.js";

const FILTER = 'metrics.acc > 0.5 and params.model = "b"';
const SORT = "-metrics.acc";
const PAGE = 50;
const CONNECTIONS = 50;
const SECONDS = 10;

interface CannonOptions {
  url: string;
  connections: number;
  duration: number;
  workers: number;
}
interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number; average: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
}

/** autocannon ships no types: its entry point, typed for what this benchmark uses. */
const autocannon = createRequire(import.meta.url)("autocannon") as (o: CannonOptions) => Promise<Result>;

/** Starts `labbook serve --workers n` as a child process; resolves to its URL and a stop function. */
async function serveChild(dir: string, workers: number): Promise<{ url: string; stop(): Promise<void> }> {
  const main = join(import.meta.dirname, "../src/cli/main.ts");
  const args = [
    "--import",
    "tsx",
    main,
    "--store",
    dir,
    "serve",
    "--port",
    "0",
    "--workers",
    String(workers),
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/\S+/.exec(out);
      if (m) resolve(m[0]);
    });
    child.once("exit", (code) => reject(new Error(`labbook serve exited with ${code}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function report(label: string, r: Result): number {
  const errors = r.errors + r.timeouts + r.non2xx;
  console.log(
    `${label}: ${fmt(r.requests.average, 0)} req/s, p50 ${fmt(r.latency.p50, 0)} ms, p99 ${fmt(r.latency.p99, 0)} ms, max ${fmt(r.latency.max, 0)} ms, ${r["2xx"].toLocaleString()} ok, ${errors} errors`,
  );
  return errors;
}

export default async function main(): Promise<void> {
  const t = tempDir("server");
  await (await openSqliteStore(t.dir)).close();
  const b0 = performance.now();
  build(join(t.dir, "labbook.db"));
  console.log(`built 100,000 runs in ${fmt((performance.now() - b0) / 1000, 1)} s (not measured)`);
  const store = await openSqliteStore(t.dir);
  try {
    const query = { filter: FILTER, sort: SORT, pageSize: PAGE };
    let total = 0;
    const times: number[] = [];
    const inProcess = async () => {
      for (let i = 0; i < 100; i++) {
        const t0 = performance.now();
        total = (await store.searchRuns(query)).pagination.totalResults;
        times.push(performance.now() - t0);
      }
    };
    await store.searchRuns(query);
    await inProcess();
    const server = await startServer(store, { port: 0, log: () => undefined });
    const params = new URLSearchParams({ filter: FILTER, sort: SORT, page_size: String(PAGE) });
    const url = `${server.url}/api/v1/search/runs?${params}`;
    const check = await fetch(url);
    const body = (await check.json()) as { data: unknown[]; pagination: { totalResults: number } };
    if (check.status !== 200 || body.data.length !== PAGE || body.pagination.totalResults !== total) {
      throw new Error(
        `server answered ${check.status} with ${body.data.length} runs of ${body.pagination.totalResults}`,
      );
    }
    let result: Result;
    let single: Result;
    try {
      await autocannon({ url, connections: CONNECTIONS, duration: 2, workers: 1 }); // warm-up
      result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, workers: 1 });
      single = await autocannon({ url, connections: 1, duration: 5, workers: 1 });
    } finally {
      await server.close();
    }
    await inProcess();
    const base = median(times);
    const child = await serveChild(t.dir, 2);
    let multi: Result;
    try {
      const childUrl = `${child.url}/api/v1/search/runs?${params}`;
      await autocannon({ url: childUrl, connections: CONNECTIONS, duration: 2, workers: 1 }); // warm-up
      multi = await autocannon({ url: childUrl, connections: CONNECTIONS, duration: SECONDS, workers: 1 });
    } finally {
      await child.stop();
    }
    console.log(
      `query: ${FILTER} sorted by ${SORT}, page of ${PAGE} (${total.toLocaleString()} matches of 100,000 runs)`,
    );
    console.log(
      `in-process searchRuns (baseline): median ${fmt(base, 2)} ms -> at most ${fmt(1000 / base, 0)} req/s on one thread`,
    );
    report("HTTP, 1 connection, 5 s (the cost of one request)", single);
    const errors =
      report(`HTTP, 1 process, ${CONNECTIONS} connections, ${SECONDS} s`, result) +
      report(`HTTP, labbook serve --workers 2, ${CONNECTIONS} connections, ${SECONDS} s`, multi);
    const bound = 1000 / base;
    const best = Math.min(result.latency.p99, multi.latency.p99);
    console.log(
      `ratios: one request over HTTP / in-process ${fmt(single.latency.p50 / base, 2)} (p50; autocannon counts whole ms); throughput / in-process bound: 1 process ${fmt(result.requests.average / bound, 2)}, 2 processes ${fmt(multi.requests.average / bound, 2)}; p99 target < 150 ms: ${best < 150 ? "met" : "NOT met"}; errors: ${errors}`,
    );
  } finally {
    await store.close();
    t.remove();
  }
}
