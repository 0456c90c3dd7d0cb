/**
 * Artifacts: one 200 MB file (seeded bytes) logged through the public API
 * (`logArtifact(name, { path })`) and read back through `openArtifact` with its SHA-256 checked,
 * into an S3-compatible bucket (s3rver on loopback, in a process of its own) and, as the
 * baseline of the same run, into a local folder (`file:`). Each transfer runs in a fresh child
 * process (`bench/support/artifact-roundtrip.ts`), which measures its own RSS: printed, the
 * growth over the process after a 12 MB warm-up transfer (target < 50 MB: the bytes stream, they
 * are never held whole) and the time of each direction (median of `--repeat`, default 3).
 * `--store postgres://...` (or `postgres`: a throwaway cluster) keeps the run records in
 * PostgreSQL instead of SQLite; `--mb N` changes the size.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { benchStores, option } from "./support/stores.js";
import { fmt, median, seeded, tempDir } from "./util.js";

const MB = Number(option("mb", "200"));
const REPEAT = Number(option("repeat", "3"));

async function writeFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  const rnd = seeded(7);
  for (let i = 0; i < MB; i++) {
    const chunk = Buffer.alloc(2 ** 20);
    for (let j = 0; j < chunk.length; j += 4) chunk.writeUInt32LE((rnd() * 2 ** 32) >>> 0, j);
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

async function startS3(dir: string): Promise<{ endpoint: string; child: ChildProcess }> {
  const script = join(import.meta.dirname, "../src/store/artifacts/test-support/s3rver-child.ts");
  const child = spawn(process.execPath, ["--import", "tsx", script, dir, "labbook"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`s3rver exited (${code})`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, child };
}

interface Transfer {
  size: number;
  putMs: number;
  getMs: number;
  base: number;
  peakPut: number;
  peakGet: number;
}

function roundTrip(store: string, artifacts: string, file: string): Transfer {
  const script = join(import.meta.dirname, "support", "artifact-roundtrip.ts");
  const r = spawnSync(process.execPath, ["--import", "tsx", script, store, artifacts, file], {
    encoding: "utf8",
    env: process.env,
  });
  if (r.status !== 0) throw new Error(`artifact round trip failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Transfer;
}

function report(label: string, runs: Transfer[]): void {
  const mib = 2 ** 20;
  const grow = (k: "peakPut" | "peakGet") => runs.map((r) => (r[k] - r.base) / mib);
  const rate = (k: "putMs" | "getMs") => MB / (median(runs.map((r) => r[k])) / 1000);
  console.log(
    `${label}: up ${fmt(median(runs.map((r) => r.putMs)) / 1000, 2)} s (${fmt(rate("putMs"), 0)} MB/s), RSS +${fmt(Math.max(...grow("peakPut")), 0)} MB at most; ` +
      `down ${fmt(median(runs.map((r) => r.getMs)) / 1000, 2)} s (${fmt(rate("getMs"), 0)} MB/s), RSS +${fmt(Math.max(...grow("peakGet")), 0)} MB at most (base RSS ${fmt(median(runs.map((r) => r.base)) / mib, 0)} MB)`,
  );
}

export default async function main(): Promise<void> {
  const t = tempDir("artifacts");
  process.env.AWS_ACCESS_KEY_ID ??= "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY ??= "S3RVER";
  process.env.AWS_REGION ??= "us-east-1";
  const s3 = await startS3(join(t.dir, "bucket"));
  const stores = await benchStores();
  try {
    const file = join(t.dir, "model.bin");
    await writeFile(file);
    for (const target of stores) {
      const store = await target.uri("artifacts");
      const bucket = `s3://labbook/${target.name}?endpoint=${encodeURIComponent(s3.endpoint)}`;
      const local = `file:${join(t.dir, `files-${target.name}`)}`;
      const s3Runs: Transfer[] = [];
      const fileRuns: Transfer[] = [];
      for (let i = 0; i < REPEAT; i++) {
        fileRuns.push(roundTrip(store, local, file));
        s3Runs.push(roundTrip(store, bucket, file));
      }
      console.log(`\n-- ${MB} MB artifact, run records in ${target.label}, ${REPEAT} transfers each way`);
      report("local folder (baseline)", fileRuns);
      report("S3 bucket (s3rver on loopback)", s3Runs);
    }
  } finally {
    s3.child.kill("SIGTERM");
    await once(s3.child, "exit");
    await stores.stop();
    t.remove();
  }
}
