/**
 * Stateless replicas: two `labbook serve` processes over one PostgreSQL database and one bucket
 * (s3rver on loopback), each on its own loopback port, under 50 connections split across both
 * (25 each, autocannon in worker threads) for 10 s after 5 s of warm-up: one search page of 50
 * with a two-clause filter, sorted. Baselines of the same run: the same query called in-process
 * on the store (median of 100, the snapshot unchanged: a slice of the matches the store handle
 * kept in order; and median of 20, each after a run logged through another handle: the runs
 * changed since re-tested, from the run change log), and the 50 connections on one replica alone.
 * Then the two replicas again while this process logs a run every 250 ms (each commit changes the
 * snapshot: each replica's next search re-tests the runs changed since). The store is filled
 * through the public API with whole runs, `prepareRun` + `writeRun`, 16 at a time (`--runs N`,
 * default 10,000; not measured).
 * `--store postgres://...` uses that database (a schema of its own), else a throwaway cluster.
 * Target (issue 14): p99 < 250 ms, 0 errors.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { openStore } from "../src/index.js";
import { benchStores, option } from "./support/stores.js";
import { fillBatched, logRun } from "./support/workload.js";
import { fmt, median, tempDir } from "./util.js";

const RUNS = Number(option("runs", "10000"));
const FILTER = 'metrics.acc > 0.5 and params.model = "b"';
const SORT = "-metrics.acc";
const PAGE = 50;
const CONNECTIONS = 50;
const SECONDS = 10;
const WARM_UP_SECONDS = 5;
const WRITE_EVERY_MS = 250;

interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
}
const autocannon = createRequire(import.meta.url)("autocannon") as (o: object) => Promise<Result>;

function started(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolve(m);
    });
    child.once("exit", (code) => reject(new Error(`${what} exited (${code})`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}

function line(label: string, rs: Result[]): number {
  const errors = rs.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0);
  const each = rs.map(
    (r) =>
      `p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms, ${fmt(r.requests.average, 0)} req/s`,
  );
  const total = rs.reduce((n, r) => n + r.requests.average, 0);
  console.log(`${label}: ${each.join(" | ")}; ${fmt(total, 0)} req/s in total; errors ${errors}`);
  return errors;
}

export default async function main(): Promise<void> {
  const stores = await benchStores();
  const pgTarget = stores.find((s) => s.name === "postgres");
  const t = tempDir("replicas");
  const s3Script = join(import.meta.dirname, "../src/store/artifacts/test-support/s3rver-child.ts");
  const s3 = spawn(process.execPath, ["--import", "tsx", s3Script, join(t.dir, "bucket"), "labbook"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const children: ChildProcess[] = [s3];
  try {
    if (!pgTarget) {
      console.log(
        "replicas need PostgreSQL: --store postgres (a throwaway cluster) or --store postgres://...",
      );
      return;
    }
    const port = Number((await started(s3, /port (\d+)/, "s3rver"))[1]);
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: "us-east-1",
    };
    Object.assign(process.env, env);
    const artifacts = `s3://labbook/replicas?endpoint=${encodeURIComponent(`http://127.0.0.1:${port}`)}`;
    const uri = await pgTarget.uri("replicas");
    const f0 = performance.now();
    const filling = await openStore(uri, { artifacts });
    await fillBatched(filling, 0, RUNS);
    await filling.close();
    console.log(
      `filled ${RUNS.toLocaleString()} runs through the API in ${fmt((performance.now() - f0) / 1000, 1)} s (not measured)`,
    );
    const store = await openStore(uri, { artifacts });
    const writing = await openStore(uri, { artifacts });
    let logged = RUNS;
    const query = { filter: FILTER, sort: SORT, pageSize: PAGE };
    const times: number[] = [];
    const computed: number[] = [];
    let total = 0;
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      total = (await store.searchRuns(query)).pagination.totalResults;
      times.push(performance.now() - t0);
    }
    for (let i = 0; i < 20; i++) {
      await logRun(writing, logged++);
      const t0 = performance.now();
      total = (await store.searchRuns(query)).pagination.totalResults;
      computed.push(performance.now() - t0);
    }
    await store.close();
    const main = join(import.meta.dirname, "../src/cli/main.ts");
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", main, "--store", uri, "serve", "--artifacts", artifacts, "--port", "0"],
        { stdio: ["ignore", "pipe", "inherit"], env },
      );
      children.push(child);
      urls.push((await started(child, /at (http:\/\/\S+)/, "labbook serve"))[1]!);
    }
    const params = new URLSearchParams({ filter: FILTER, sort: SORT, page_size: String(PAGE) });
    const paths = urls.map((u) => `${u}/api/v1/search/runs?${params}`);
    for (const p of paths) {
      const body = (await (await fetch(p)).json()) as { pagination: { totalResults: number } };
      if (body.pagination.totalResults !== total)
        throw new Error(`a replica counted ${body.pagination.totalResults}, not ${total}`);
    }
    const load = (url: string, connections: number, duration: number) =>
      autocannon({ url, connections, duration, workers: 1 });
    // Warm-up: each replica's pool opens its connections and its code is compiled before the
    // measured phases.
    await Promise.all(paths.map((p) => load(p, CONNECTIONS / 2, WARM_UP_SECONDS)));
    const both = await Promise.all(paths.map((p) => load(p, CONNECTIONS / 2, SECONDS)));
    const one = await load(paths[0]!, CONNECTIONS, SECONDS);
    let writingNow = true;
    const writer = (async () => {
      while (writingNow) {
        await logRun(writing, logged++);
        await sleep(WRITE_EVERY_MS);
      }
    })();
    const first = logged;
    const busy = await Promise.all(paths.map((p) => load(p, CONNECTIONS / 2, SECONDS)));
    writingNow = false;
    await writer;
    await writing.close();
    console.log(
      `query: ${FILTER} sorted by ${SORT}, page of ${PAGE} (${total.toLocaleString()} matches of ${RUNS.toLocaleString()} runs), ${pgTarget.label}`,
    );
    console.log(
      `in-process searchRuns (baseline): median ${fmt(median(times), 2)} ms with the snapshot unchanged (the matches kept in order), ${fmt(median(computed), 2)} ms after another handle's write (the runs changed since re-tested)`,
    );
    line(`one replica, ${CONNECTIONS} connections, ${SECONDS} s (baseline)`, [one]);
    const errors = line(
      `two replicas, ${CONNECTIONS / 2} + ${CONNECTIONS / 2} connections, ${SECONDS} s`,
      both,
    );
    const p99 = Math.max(...both.map((r) => r.latency.p99));
    console.log(
      `two replicas: p99 ${p99} ms (target < 250 ms: ${p99 < 250 ? "met" : "NOT met"}), errors ${errors} (target 0); no write during the load: after its first search each replica slices the matches it kept, checking the snapshot once per request`,
    );
    const busyErrors = line(
      `two replicas, ${CONNECTIONS / 2} + ${CONNECTIONS / 2} connections, ${SECONDS} s, while a run is logged every ${WRITE_EVERY_MS} ms (${logged - first} runs; after each commit a replica's next search re-tests the runs changed since, from the run change log)`,
      busy,
    );
    console.log(
      `two replicas under writes: p99 ${Math.max(...busy.map((r) => r.latency.p99))} ms, errors ${busyErrors}`,
    );
  } finally {
    for (const c of children.reverse()) await stop(c);
    await stores.stop();
    t.remove();
  }
}
