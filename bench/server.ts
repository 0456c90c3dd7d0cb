/**
 * Server: 100,000 runs logged through the public API (startRun, logMetrics, finish: the search
 * workload of `bench/search.ts`) into a store while `startServer` serves it on loopback; then
 * autocannon (in a worker thread) keeps 50 connections busy for 10 s (after 2 s of warm-up) on
 * each of two searches, a first page of 50 with totals: the default order with a params and
 * metrics filter, and the same filter sorted by `-metrics.acc`; then one connection alone for
 * 5 s (the cost of one request). Printed: requests/s, p50/p99 latency and errors, against the
 * baseline of the same search called in-process on the same store (its median over 100 calls
 * before and 100 after the load). Then `labbook serve --workers 2` (two server processes sharing
 * the port over the same store) while this process logs 1,000 more runs into it, and the same
 * load. Beside them: the client and HTTP alone (`GET /healthz`, no store read, same load) as a
 * baseline line, and the server CPU each answer cost with `--workers 2` (from `/proc`, Linux).
 * autocannon always runs in a worker thread: in a main thread that also holds the
 * benchmark's heap it measured multi-second tails that were its own pauses, not the server's.
 * `npm run bench -- server --runs 20000` (or `BENCH_RUNS=20000`) runs a smaller store;
 * `--store postgres://user@host:5432/db` runs it on PostgreSQL (a schema made for the run).
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { startServer } from "../src/server/start.js";
import type { SearchRunsQuery } from "../src/store/search-methods.js";
import { benchRuns, benchStore } from "./support/bench-store.js";
import { cpuMs, processTree } from "./support/process-cpu.js";
import { fill, SHAPES } from "./support/workload.js";
import { fmt, median } from "./util.js";

const RUNS = benchRuns(100_000);
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
async function serveChild(
  uri: string,
  workers: number,
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const main = join(import.meta.dirname, "../src/cli/main.ts");
  const args = [
    "--import",
    "tsx",
    main,
    "--store",
    uri,
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
    pid: child.pid as number,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function report(label: string, r: Result): number {
  const errors = r.errors + r.timeouts + r.non2xx;
  console.log(
    `  ${label}: ${fmt(r.requests.average, 0)} req/s, p50 ${fmt(r.latency.p50, 0)} ms, p99 ${fmt(r.latency.p99, 0)} ms, max ${fmt(r.latency.max, 0)} ms, ${r["2xx"].toLocaleString()} ok, ${errors} errors`,
  );
  return errors;
}

/** The p99 latency of a load; with no request answered, none was fast enough (infinite). */
function p99(r: Result): number {
  return r["2xx"] > 0 ? r.latency.p99 : Number.POSITIVE_INFINITY;
}

/** The two searches under load: the default order and the sorted one, over the same filter. */
const LOADED = [SHAPES[0]!, SHAPES[1]!];

function searchUrl(base: string, query: SearchRunsQuery): string {
  const params = new URLSearchParams({ page_size: String(PAGE) });
  if (typeof query.filter === "string") params.set("filter", query.filter);
  if (typeof query.sort === "string") params.set("sort", query.sort);
  return `${base}/api/v1/search/runs?${params}`;
}

/** 2 s of warm-up, then 50 connections for 10 s; with `pids`, the server CPU each answer cost. */
async function load(url: string, pids?: number[]): Promise<Result & { cpuUsPerRequest?: number }> {
  await autocannon({ url, connections: CONNECTIONS, duration: 2, workers: 1 });
  const before = pids ? cpuMs(pids) : null;
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, workers: 1 });
  const after = pids ? cpuMs(pids) : null;
  if (before === null || after === null || r["2xx"] === 0) return r;
  return { ...r, cpuUsPerRequest: ((after - before) * 1000) / r["2xx"] };
}

/** The client's own line: `/healthz` (no store read) under the same load, same machine. */
function reportBaseline(label: string, r: Result): void {
  console.log(
    `  ${label}: ${fmt(r.requests.average, 0)} req/s, p50 ${fmt(r.latency.p50, 0)} ms, p99 ${fmt(r.latency.p99, 0)} ms, max ${fmt(r.latency.max, 0)} ms`,
  );
}

export default async function main(): Promise<void> {
  const b = await benchStore("server");
  const store = b.store;
  const server = await startServer(store, { port: 0, log: () => undefined });
  let serverOpen = true;
  try {
    console.log(
      `logging ${RUNS.toLocaleString()} runs through startRun/logMetrics/finish into ${b.dialect === "postgres" ? "PostgreSQL" : "SQLite"} while the server runs...`,
    );
    const rate = await fill(store, 0, RUNS);
    console.log(`logged at ${fmt(rate, 0)} runs/s`);
    const times = LOADED.map(() => [] as number[]);
    const totals: number[] = [];
    const inProcess = async () => {
      for (const [k, shape] of LOADED.entries()) {
        for (let i = 0; i < 100; i++) {
          const t0 = performance.now();
          totals[k] = (await store.searchRuns({ ...shape.query, pageSize: PAGE })).pagination.totalResults;
          times[k]!.push(performance.now() - t0);
        }
      }
    };
    await inProcess();
    const one: Result[] = [];
    const single: Result[] = [];
    const healthOne = await load(`${server.url}/healthz`);
    for (const shape of LOADED) {
      const url = searchUrl(server.url, shape.query);
      const check = await fetch(url);
      const body = (await check.json()) as { data: unknown[] };
      if (check.status !== 200 || body.data.length !== PAGE)
        throw new Error(`server answered ${check.status}`);
      one.push(await load(url));
      single.push(await autocannon({ url, connections: 1, duration: 5, workers: 1 }));
    }
    await server.close();
    serverOpen = false;
    await inProcess();
    const child = await serveChild(b.uri, 2);
    const multi: (Result & { cpuUsPerRequest?: number })[] = [];
    let healthMulti: Result | undefined;
    try {
      // A sweep goes on while the two server processes serve: their caches follow its writes.
      const rate2 = await fill(store, RUNS, RUNS + 1_000);
      console.log(`logged 1,000 more runs at ${fmt(rate2, 0)} runs/s while labbook serve --workers 2 ran`);
      const pids = processTree(child.pid);
      healthMulti = await load(`${child.url}/healthz`);
      for (const shape of LOADED) multi.push(await load(searchUrl(child.url, shape.query), pids));
    } finally {
      await child.stop();
    }
    console.log("\nbaseline: the client and HTTP alone (GET /healthz, no store read), 50 connections, 10 s");
    reportBaseline("1 process", healthOne);
    if (healthMulti) reportBaseline("labbook serve --workers 2", healthMulti);
    let errors = 0;
    let worst1 = 0;
    let worst2 = 0;
    for (const [k, shape] of LOADED.entries()) {
      const base = median(times[k]!);
      console.log(
        `\n${shape.label}: ${JSON.stringify(shape.query)}, page of ${PAGE} (${totals[k]!.toLocaleString()} matches of ${RUNS.toLocaleString()} runs)`,
      );
      console.log(
        `  in-process searchRuns (baseline): median ${fmt(base, 2)} ms -> at most ${fmt(1000 / base, 0)} req/s on one thread`,
      );
      report("HTTP, 1 connection, 5 s (the cost of one request)", single[k]!);
      errors += report(`HTTP, 1 process, ${CONNECTIONS} connections, ${SECONDS} s`, one[k]!);
      errors += report(
        `HTTP, labbook serve --workers 2, ${CONNECTIONS} connections, ${SECONDS} s`,
        multi[k]!,
      );
      const cpu = multi[k]!.cpuUsPerRequest;
      if (cpu !== undefined)
        console.log(
          `  server CPU per answer with --workers 2 (both processes, user + system): ${fmt(cpu, 0)} us`,
        );
      console.log(
        `  ratios: one request over HTTP / in-process ${fmt(single[k]!.latency.p50 / base, 2)} (p50; autocannon counts whole ms); throughput / in-process bound: 1 process ${fmt(one[k]!.requests.average * (base / 1000), 2)}, 2 processes ${fmt(multi[k]!.requests.average * (base / 1000), 2)}`,
      );
      worst1 = Math.max(worst1, p99(one[k]!));
      worst2 = Math.max(worst2, p99(multi[k]!));
    }
    console.log(
      `\ntargets at ${CONNECTIONS} connections: p99 < 150 ms with --workers 2 (worst ${fmt(worst2, 0)} ms: ${worst2 < 150 ? "met" : "NOT met"}), < 300 ms with one process (worst ${fmt(worst1, 0)} ms: ${worst1 < 300 ? "met" : "NOT met"}), 0 errors (${errors})`,
    );
  } finally {
    if (serverOpen) await server.close();
    await b.remove();
  }
}
