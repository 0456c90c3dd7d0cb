/**
 * Every ```ts and ```sh block of README.md and docs/*.md runs as written, in order, in a fresh
 * copy of the project "after `npm ci`": the files git tracks, this checkout's installed
 * packages and build (what `npm ci` gives, its `prepare` script included: the `labbook` bin is
 * linked for `npx`), then the README's commands (`npm run example` fills the store the CLI
 * examples read). Shell blocks run in bash (`set -euo pipefail`); a `labbook serve` is started,
 * probed at /healthz and stopped when its block ends; the docs' ports (7878...) are replaced by
 * free ones. TypeScript blocks run one after the other in one process (tsx), importing
 * "labbook" as users do. A block whose info string says `needs=postgres` or `needs=s3` runs
 * against what the test starts: a database on the run's throwaway PostgreSQL cluster, and
 * s3rver on loopback (see `NEEDS`); one that needs anything else (`root`, `browser`, `mlflow`,
 * `ci`) is skipped here with the reason printed.
 */
import { type ChildProcess, execFileSync, fork, spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mlflowFixtures } from "../../src/store/exchange/test-support/fixtures.js";
import { pgClusterUrl, pgSkipReason } from "../../src/store/sql/test-support/temp-store.js";
import { ROOT, requireBuilt } from "../support/packed-project.js";
import { type DocBlock, docBlocks, NEEDS, needsOf, shellScript, withPorts } from "./blocks.js";

const FILES = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`),
];
const BLOCKS = FILES.flatMap((f) => docBlocks(join(ROOT, f)).map((b) => ({ ...b, file: f })));
const RUNNABLE = BLOCKS.filter((b) => b.lang === "ts" || b.lang === "sh");

let dir: string;
let clone: string;
const ports = new Map<string, number>();
const portFor = (p: string) => ports.get(p)!;
let host: ChildProcess;
let hostOutput = "";
/** The environment of blocks that need PostgreSQL or S3, as their administrator set it up. */
const provided: Record<string, NodeJS.ProcessEnv> = {};
let s3rver: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.once("error", reject);
  });
}

/** The tracked and new (not ignored) files of the checkout, and its installed packages and build. */
function freshCopy(to: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "-co", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f !== "");
  for (const f of files) {
    mkdirSync(dirname(join(to, f)), { recursive: true });
    try {
      copyFileSync(join(ROOT, f), join(to, f));
    } catch {} // a file deleted but not yet staged
  }
  const nm = join(to, "node_modules");
  mkdirSync(join(nm, ".bin"), { recursive: true });
  for (const e of readdirSync(join(ROOT, "node_modules"))) {
    if (e !== ".bin") symlinkSync(join(ROOT, "node_modules", e), join(nm, e));
  }
  for (const e of readdirSync(join(ROOT, "node_modules", ".bin"))) {
    if (e !== "labbook")
      symlinkSync(readlinkSync(join(ROOT, "node_modules", ".bin", e)), join(nm, ".bin", e));
  }
  symlinkSync(join(ROOT, "dist"), join(to, "dist"));
  execFileSync(process.execPath, ["scripts/link-bin.mjs"], { cwd: to }); // the rest of `prepare`
}

/** A user's environment: none of labbook's own variables set (the default store is ./labbook). */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const k of Object.keys(env)) if (k.startsWith("LABBOOK_")) delete env[k];
  return env;
}

function startHost(): Promise<void> {
  host = fork(join(ROOT, "test/docs/block-host.ts"), [], {
    cwd: clone,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: userEnv(),
  });
  host.stdout!.on("data", (d) => {
    hostOutput += String(d);
  });
  host.stderr!.on("data", (d) => {
    hostOutput += String(d);
  });
  return new Promise((resolve, reject) => {
    host.once("message", () => resolve());
    host.once("exit", (code) => reject(new Error(`the block host exited (${code}): ${hostOutput}`)));
  });
}

function runTs(b: DocBlock, i: number): Promise<void> {
  const file = join(clone, "docs-blocks", `${b.file.replace(/\W/g, "_")}_${i}.ts`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, withPorts(b.code, portFor));
  hostOutput = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out; output:\n${hostOutput}`)), 150_000);
    host.once("message", (m: { ok: boolean; error?: string }) => {
      clearTimeout(timer);
      if (m.ok) resolve();
      else reject(new Error(`${b.file}:${b.line} failed: ${m.error}\noutput:\n${hostOutput}`));
    });
    host.send({ file });
  });
}

/**
 * What the docs' `needs=root` block does, done here: a role and a database `labbook` (with a
 * password) on the run's throwaway cluster, whose port and password reach the blocks as
 * `$PGPORT` and `$PGPASSWORD`, as they would any PostgreSQL client.
 */
async function providePostgres(): Promise<void> {
  const server = pgClusterUrl();
  if (!server) return;
  const admin = new pg.Client(`${server}/postgres`);
  await admin.connect();
  try {
    await admin.query("create role labbook login password 'docs-secret'");
    await admin.query("create database labbook owner labbook");
  } finally {
    await admin.end();
  }
  provided.postgres = { PGPORT: new URL(server).port, PGPASSWORD: "docs-secret" };
}

/** s3rver on a free loopback port with the docs' bucket, `team-bucket`. */
async function provideS3(): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(ROOT, "src/store/artifacts/test-support/s3rver-child.ts"),
      join(dir, "s3"),
      "team-bucket",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  s3rver = child;
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`s3rver exited (${code})`)));
  });
  provided.s3 = {
    LABBOOK_S3_ENDPOINT: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_REGION: "us-east-1",
  };
}

/**
 * The user's MLflow data the docs import: the shared fixtures' `mlruns/` as `./mlruns`, their
 * `mlflow.db` and `mlartifacts/` under `./data/`.
 */
function provideMlflow(): void {
  let from: string;
  try {
    from = mlflowFixtures();
  } catch {
    return;
  }
  cpSync(join(from, "mlruns"), join(clone, "mlruns"), { recursive: true });
  mkdirSync(join(clone, "data"), { recursive: true });
  cpSync(join(from, "mlflow.db"), join(clone, "data", "mlflow.db"));
  cpSync(join(from, "mlartifacts"), join(clone, "data", "mlartifacts"), { recursive: true });
  provided.mlflow = {};
}

/** Why a block cannot run here, or `null` when it can. */
function skipReason(b: DocBlock): string | null {
  for (const need of needsOf(b)) {
    const n = NEEDS[need];
    if (n && "skipped" in n) return n.skipped;
    if (need === "postgres" && !provided.postgres) return `no PostgreSQL here: ${pgSkipReason()}`;
    if (need === "mlflow" && !provided.mlflow) return "no MLflow fixtures (shared/fixtures/mlflow) here";
  }
  return null;
}

function runSh(b: DocBlock): void {
  const env = userEnv();
  for (const need of needsOf(b)) Object.assign(env, provided[need]);
  const r = spawnSync("bash", ["-c", shellScript(b.code, portFor)], {
    cwd: clone,
    encoding: "utf8",
    env,
    timeout: 300_000,
  });
  if (r.status !== 0) {
    throw new Error(
      `${b.file}:${b.line} exited ${r.status ?? r.signal}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`,
    );
  }
}

beforeAll(async () => {
  requireBuilt();
  dir = mkdtempSync(join(tmpdir(), "labbook-docs-"));
  clone = join(dir, "clone");
  freshCopy(clone);
  for (let p = 7870; p <= 7879; p++) {
    let free = await freePort();
    while ([...ports.values()].includes(free)) free = await freePort();
    ports.set(String(p), free);
  }
  const needs = new Set(RUNNABLE.flatMap(needsOf));
  if (needs.has("postgres")) await providePostgres();
  if (needs.has("s3")) await provideS3();
  if (needs.has("mlflow")) provideMlflow();
  await startHost();
}, 120_000);
afterAll(async () => {
  host?.kill();
  if (s3rver && s3rver.exitCode === null) {
    const gone = new Promise((resolve) => s3rver!.once("exit", resolve));
    s3rver.kill("SIGTERM");
    await gone;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the docs' code blocks run as written", () => {
  it("finds the blocks", () => {
    expect(RUNNABLE.length).toBeGreaterThan(20);
    for (const b of RUNNABLE) {
      for (const need of needsOf(b)) expect(Object.keys(NEEDS), `${b.file}:${b.line}`).toContain(need);
      // what the test provides reaches shell blocks (their environment)
      if (b.lang === "ts") expect(needsOf(b).filter((n) => n === "postgres" || n === "s3")).toEqual([]);
    }
  });

  RUNNABLE.forEach((b, i) => {
    const name = `${b.file}:${b.line} (${b.lang}${b.tags.needs ? `, needs=${b.tags.needs}` : ""})`;
    it(name, async () => {
      const skip = skipReason(b);
      if (skip) {
        console.log(`skipped ${name}: ${skip}`);
        return;
      }
      if (b.lang === "ts") await runTs(b, i);
      else runSh(b);
    }, 320_000);
  });

  it("leaves nothing for git to pick up in exports/ (the README's export folder is ignored)", () => {
    const r = spawnSync("git", ["check-ignore", "-q", "exports/results_20260101_000000.csv"], { cwd: ROOT });
    expect(r.status).toBe(0);
  });
});
