/**
 * Export and import: (1) 100,000 runs (5 params, 5 metrics each) exported to Scythe's layout
 * without rows and artifacts (specs.pq, final/scalars.pq, final/result_file_refs.pq), against
 * reading the same runs through `iterateRuns` alone; (2) one run of 1,000,000 rows exported to
 * one Parquet file (`exportRowsFile`) and as the layout's final/rows.pq, each in a child process
 * whose peak RSS is measured, against reading the rows through `iterateRowRecords` alone in
 * another child, and the layout once more into an S3-compatible bucket (s3rver on loopback, in
 * a process of its own); (3) 10,000 generated MLflow runs (an `mlruns/` file store: 6 params, a 10-step
 * loss and an accuracy, 3 tags, an artifact on every 10th run) imported, against reading the
 * folder alone. Stores are filled through the public API (startRun, logMetrics, logRows, finish).
 * Targets: 100,000 runs < 5 s; 1,000,000 rows < 10 s within 300 MB; 10,000 runs imported < 20 s.
 * `--part import|rows|runs` (or `--only`) runs one of the three. After `npm run build`, the rows
 * part also runs `labbook rows` as built (plain node, without the TypeScript loader of the children above).
 * `--store postgres://...` (a database the benchmark fills with schemas of its own) or `--store
 * postgres` (a throwaway cluster of this run) runs the same parts on PostgreSQL after SQLite (its
 * artifacts in a temporary folder); `--runs N`, `--rows N` and `--mlflow-runs N` change the sizes
 * (for both stores).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openStore, type Store } from "../src/index.js";
import { exportExperiment } from "../src/store/exchange/export-experiment.js";
import { mlflowFileStore } from "../src/store/exchange/mlflow-file-store.js";
import { importMlflow } from "../src/store/exchange/mlflow-import.js";
import { exportRowsFile } from "../src/store/exchange/rows-file.js";
import { type BenchTarget, benchStores, option } from "./support/stores.js";
import { fmt, median, seeded, tempDir } from "./util.js";

const RUNS = Number(option("runs", "100000"));
const ROWS = Number(option("rows", "1000000"));
const MLFLOW_RUNS = Number(option("mlflow-runs", "10000"));

/** Where a part's store is: its URI, and for PostgreSQL the artifact folder it is opened with. */
interface Place {
  uri: string;
  artifacts?: string;
}

/** A new store of `target` for one part; `remove()` removes its artifact folder (the store goes with the targets). */
async function placeOf(target: BenchTarget, label: string): Promise<Place & { remove(): void }> {
  const uri = await target.uri(label);
  if (target.name === "sqlite") return { uri, remove: () => undefined };
  const a = tempDir(`${label}-artifacts`);
  return { uri, artifacts: a.dir, remove: a.remove };
}

function open(place: Place): Promise<Store> {
  return openStore(place.uri, place.artifacts ? { artifacts: place.artifacts } : {});
}

/** In a child process: one measured step, printed as JSON (its own peak RSS included). */
async function child(): Promise<void> {
  const [what, dir, runId, out] = process.argv.slice(2) as [string, string, string, string];
  const store = await openStore(dir);
  const baseRss = process.memoryUsage().rss;
  const t0 = performance.now();
  let n = 0;
  if (what === "rows-file") n = await exportRowsFile(store, runId, out, { format: "parquet" });
  else if (what === "rows-layout")
    n = (await exportExperiment(store, { experiment: "rows", out, artifacts: false })).rows;
  else for await (const _ of store.iterateRowRecords(runId, { batchSize: 10_000 })) n++;
  const ms = performance.now() - t0;
  await store.close();
  process.stdout.write(JSON.stringify({ n, ms, baseRss, peakRss: process.resourceUsage().maxRSS * 1024 }));
}

function inChild(args: string[], place: Place): { n: number; ms: number; baseRss: number; peakRss: number } {
  const r = spawnSync(process.execPath, ["--import", "tsx", import.meta.filename, ...args], {
    env: {
      ...process.env,
      LABBOOK_BENCH_EXPORT_CHILD: "1",
      ...(place.artifacts ? { LABBOOK_ARTIFACTS: place.artifacts } : {}),
    },
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`child ${args[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const mb = (b: number) => `${fmt(b / 1e6, 0)} MB`;

async function runsBench(target: BenchTarget): Promise<void> {
  const t = tempDir("export-runs");
  const place = await placeOf(target, "export_runs");
  const store = await open(place);
  const rnd = seeded(7);
  const fill0 = performance.now();
  const finished: Promise<void>[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await store.startRun({
      experiment: "runs:1.0.0",
      params: {
        lr: 10 ** -(1 + Math.floor(rnd() * 4)),
        model: rnd() < 0.5 ? "a" : "b",
        depth: 1 + Math.floor(rnd() * 8),
        dropout: rnd() / 2,
        i,
      },
    });
    void run.logMetrics({
      acc: rnd(),
      loss: rnd() < 0.01 ? Number.NaN : rnd() * 2,
      f1: rnd(),
      precision: rnd(),
      recall: rnd(),
    });
    finished.push(run.finish());
  }
  await Promise.all(finished);
  console.log(
    `filled ${RUNS.toLocaleString("en-US")} runs through the API in ${fmt((performance.now() - fill0) / 1000)} s`,
  );
  const read: number[] = [];
  const exp: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    let n = 0;
    for await (const _ of store.iterateRuns({
      experiment: "runs:1.0.0",
      sort: "created_at",
      fields: ["params", "metrics", "derived"],
    }))
      n++;
    read.push(performance.now() - t0);
    if (n !== RUNS) throw new Error(`read ${n} runs`);
    const t1 = performance.now();
    const done = await exportExperiment(store, {
      experiment: "runs",
      out: join(t.dir, "out"),
      rows: false,
      artifacts: false,
    });
    exp.push(performance.now() - t1);
    if (done.runs !== RUNS) throw new Error(`exported ${done.runs} runs`);
  }
  console.log(
    `${RUNS.toLocaleString("en-US")} runs -> specs.pq + final/scalars.pq + final/result_file_refs.pq: median ${fmt(median(exp))} ms (${exp.map((x) => fmt(x, 0)).join(", ")}); iterateRuns alone ${fmt(median(read))} ms; ratio ${fmt(median(exp) / median(read), 2)}x  (target < 5,000 ms)`,
  );
  const t2 = performance.now();
  await exportExperiment(store, { experiment: "runs", out: join(t.dir, "out") });
  console.log(
    `  the whole layout (each run's rows and artifacts listed too): ${fmt(performance.now() - t2)} ms`,
  );
  await store.close();
  place.remove();
  t.remove();
}

async function rowsBench(target: BenchTarget): Promise<void> {
  const t = tempDir("export-rows");
  const place = await placeOf(target, "export_rows");
  const store = await open(place);
  const rnd = seeded(11);
  const fill0 = performance.now();
  const run = await store.startRun({ experiment: "rows:1.0.0", params: { model: "m" } });
  for (let b = 0; b < ROWS / 10_000; b++) {
    const rows = Array.from({ length: 10_000 }, (_, j) => {
      const k = b * 10_000 + j;
      return {
        datapointId: `dp${String(k).padStart(7, "0")}`,
        item: { question: `question ${k}`, category: ["math", "code", "chat"][k % 3] },
        output: `answer ${Math.floor(rnd() * 100)}`,
        scores: {
          exact: rnd() < 0.6 ? 1 : 0,
          f1: rnd() < 0.01 ? Number.NaN : rnd(),
          judge: rnd() < 0.5 ? "good" : "bad",
        },
      };
    });
    await run.logRows(rows);
  }
  await run.finish();
  console.log(
    `filled ${ROWS.toLocaleString("en-US")} rows through the API in ${fmt((performance.now() - fill0) / 1000)} s`,
  );
  await store.close();
  const file: number[] = [];
  const reads: number[] = [];
  let peak = 0;
  let base = 0;
  for (let r = 0; r < 3; r++) {
    const read = inChild(["read", place.uri, run.runId, ""], place);
    reads.push(read.ms);
    const f = inChild(["rows-file", place.uri, run.runId, join(t.dir, `rows-${r}.parquet`)], place);
    if (f.n !== ROWS) throw new Error(`exported ${f.n} rows`);
    file.push(f.ms);
    peak = Math.max(peak, f.peakRss);
    base = f.baseRss;
  }
  console.log(
    `${ROWS.toLocaleString("en-US")} rows -> one Parquet file: median ${fmt(median(file))} ms (${file.map((x) => fmt(x, 0)).join(", ")}), peak RSS ${mb(peak)} (the process before the export: ${mb(base)}); iterateRowRecords alone ${fmt(median(reads))} ms; ratio ${fmt(median(file) / median(reads), 2)}x  (target < 10,000 ms, < 300 MB)`,
  );
  cliRows(place, run.runId, join(t.dir, "rows-cli.parquet"));
  const l = inChild(["rows-layout", place.uri, run.runId, join(t.dir, "layout")], place);
  console.log(
    `  as the layout's final/rows.pq (with specs and scalars): ${fmt(l.ms)} ms, peak RSS ${mb(l.peakRss)}`,
  );
  const s3 = await startS3rver(join(t.dir, "s3"));
  try {
    const b = inChild(
      ["rows-layout", place.uri, run.runId, `s3://bench/exports?endpoint=${s3.endpoint}`],
      place,
    );
    if (b.n !== ROWS) throw new Error(`exported ${b.n} rows to the bucket`);
    console.log(
      `  the same layout into an S3-compatible bucket (s3rver on loopback, its own process): ${fmt(b.ms)} ms, peak RSS ${mb(b.peakRss)} (the process before the export: ${mb(b.baseRss)}); ratio to the folder ${fmt(b.ms / l.ms, 2)}x`,
    );
  } finally {
    await s3.stop();
  }
  place.remove();
  t.remove();
}

/** Prints the peak RSS of a process when it exits (a `--import` module, so that no loader is added). */
const PEAK_RSS =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('\\npeakRss='+process.resourceUsage().maxRSS*1024+'\\n'))";

/**
 * `labbook rows RUN --format parquet --out FILE` as it ships (the built `dist/`, plain node, no
 * TypeScript loader), with its time and peak RSS; skipped, saying so, before `npm run build`.
 */
function cliRows(place: Place, runId: string, out: string): void {
  const cli = join(import.meta.dirname, "..", "dist", "cli", "main.js");
  if (!existsSync(cli)) {
    console.log("  the CLI as built: skipped (run `npm run build` first)");
    return;
  }
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    ["--import", PEAK_RSS, cli, "--store", place.uri, "rows", runId, "--format", "parquet", "--out", out],
    {
      encoding: "utf8",
      maxBuffer: 1 << 20,
      env: { ...process.env, ...(place.artifacts ? { LABBOOK_ARTIFACTS: place.artifacts } : {}) },
    },
  );
  const ms = performance.now() - t0;
  const peak = /peakRss=(\d+)/.exec(r.stderr ?? "");
  if (r.status !== 0 || !peak) throw new Error(`labbook rows failed: ${r.stderr}`);
  console.log(
    `  \`labbook rows RUN --format parquet\` as built (node dist/cli/main.js, start-up included): ${fmt(ms)} ms, peak RSS ${mb(Number(peak[1]))}`,
  );
}

/** s3rver in a child process on a free loopback port, with bucket `bench` (credentials for the SDK set). */
async function startS3rver(dir: string): Promise<{ endpoint: string; stop(): Promise<void> }> {
  process.env.AWS_ACCESS_KEY_ID ??= "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY ??= "S3RVER";
  process.env.AWS_REGION ??= "us-east-1";
  const script = join(import.meta.dirname, "../src/store/artifacts/test-support/s3rver-child.ts");
  const p = spawn(process.execPath, ["--import", "tsx", script, dir, "bench"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    p.stdout!.on("data", (d) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    p.once("exit", (code) => reject(new Error(`s3rver exited (${code})`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      const gone = new Promise((resolve) => p.once("exit", resolve));
      p.kill("SIGTERM");
      await gone;
    },
  };
}

/** A generated MLflow file store: `experiments` x `perExperiment` runs. */
export function generateMlruns(root: string, experiments: number, perExperiment: number): void {
  const rnd = seeded(3);
  const T0 = 1_700_000_000_000;
  for (let e = 1; e <= experiments; e++) {
    const ed = join(root, String(e));
    mkdirSync(join(ed, "tags"), { recursive: true });
    writeFileSync(
      join(ed, "meta.yaml"),
      `artifact_location: file:///srv/mlruns/${e}\ncreation_time: ${T0}\nexperiment_id: '${e}'\nlast_update_time: ${T0}\nlifecycle_stage: active\nname: gen-${e}\n`,
    );
    writeFileSync(join(ed, "tags", "team"), "bench");
    for (let i = 0; i < perExperiment; i++) {
      const id = `${e.toString(16).padStart(4, "0")}${i.toString(16).padStart(28, "0")}`;
      const rd = join(ed, id);
      for (const d of ["params", "metrics", "tags", "artifacts"]) mkdirSync(join(rd, d), { recursive: true });
      const start = T0 + i * 1000;
      writeFileSync(
        join(rd, "meta.yaml"),
        `artifact_uri: file:///srv/mlruns/${e}/${id}/artifacts\nend_time: ${start + 500}\nentry_point_name: ''\nexperiment_id: '${e}'\nlifecycle_stage: active\nrun_id: ${id}\nrun_name: run-${i}\nrun_uuid: ${id}\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: ${start}\nstatus: ${i % 20 === 0 ? 4 : 3}\ntags: []\nuser_id: bench\n`,
      );
      const params = {
        lr: String(10 ** -(1 + (i % 4))),
        batch_size: "64",
        optimizer: i % 2 ? "adam" : "sgd",
        use_bn: i % 3 ? "True" : "False",
        seed: String(i),
        arch: '{"layers": [64, 32]}',
      };
      for (const [k, v] of Object.entries(params)) writeFileSync(join(rd, "params", k), v);
      let loss = "";
      for (let s = 0; s < 10; s++) loss += `${start + s * 10} ${1 / (s + 1) + rnd() / 100} ${s}\n`;
      writeFileSync(join(rd, "metrics", "loss"), loss);
      writeFileSync(join(rd, "metrics", "acc"), `${start + 200} ${rnd()} 9\n`);
      for (const [k, v] of Object.entries({
        "mlflow.runName": `run-${i}`,
        "mlflow.user": "bench",
        stage: "dev",
      }))
        writeFileSync(join(rd, "tags", k), v);
      if (i % 10 === 0) writeFileSync(join(rd, "artifacts", "notes.txt"), `run ${i}\n`);
    }
  }
}

async function importBench(target: BenchTarget): Promise<void> {
  const t = tempDir("import-mlflow");
  const place = await placeOf(target, "import_mlflow");
  const root = join(t.dir, "mlruns");
  generateMlruns(root, 2, MLFLOW_RUNS / 2);
  const t0 = performance.now();
  const source = await mlflowFileStore(root);
  let n = 0;
  for (const e of await source.experiments()) for await (const _ of source.runs(e)) n++;
  const readMs = performance.now() - t0;
  const store = await open(place);
  const t1 = performance.now();
  const report = await importMlflow(store, root);
  const ms = performance.now() - t1;
  if (report.runs !== MLFLOW_RUNS || report.errors.length > 0 || n !== MLFLOW_RUNS)
    throw new Error(`imported ${report.runs} runs, ${report.errors.length} errors`);
  const t2 = performance.now();
  const again = await importMlflow(store, root);
  const againMs = performance.now() - t2;
  console.log(
    `${MLFLOW_RUNS.toLocaleString("en-US")} MLflow runs (file store) imported in ${fmt(ms)} ms (${report.seriesPoints.toLocaleString("en-US")} metric values, ${report.artifacts} artifacts); reading the folder alone ${fmt(readMs)} ms; ratio ${fmt(ms / readMs, 2)}x; a second import (${again.unchanged} unchanged) ${fmt(againMs)} ms  (target < 20,000 ms)`,
  );
  await store.close();
  place.remove();
  t.remove();
}

export default async function main(): Promise<void> {
  const { loadavg } = await import("node:os");
  console.log(
    `load average ${loadavg()
      .map((x) => fmt(x, 2))
      .join(" ")}`,
  );
  // `--part import|rows|runs` (or `--only`) runs one of the three (default: all).
  const i = Math.max(process.argv.indexOf("--part"), process.argv.indexOf("--only"));
  const part = i >= 0 ? process.argv[i + 1] : undefined;
  // SQLite, and PostgreSQL after it with --store postgres[://...] (bench/support/stores.ts).
  const stores = await benchStores();
  try {
    for (const target of stores) {
      console.log(`\n-- ${target.label}`);
      if (!part || part === "import") await importBench(target);
      if (!part || part === "rows") await rowsBench(target);
      if (!part || part === "runs") await runsBench(target);
    }
  } finally {
    await stores.stop();
  }
}

if (process.env.LABBOOK_BENCH_EXPORT_CHILD) await child();
