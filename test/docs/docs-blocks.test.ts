/**
 * Every ```ts and ```sh block of README.md and docs/*.md runs as written, in order, in a fresh
 * copy of the project "after `npm ci`": the files git tracks, this checkout's installed
 * packages and build (what `npm ci` gives, its `prepare` script included: the `labbook` bin is
 * linked for `npx`), then the README's commands (`npm run example` fills the store the CLI
 * examples read). Shell blocks run in bash (`set -euo pipefail`); a `labbook serve` is started,
 * probed at /healthz and stopped when its block ends; the docs' ports (7878...) are replaced by
 * free ones. TypeScript blocks run one after the other in one process (tsx), importing
 * "labbook" as users do. A block whose info string says `needs=postgres|s3|browser|ci` is
 * skipped here with the reason printed.
 */
import { type ChildProcess, execFileSync, fork, spawnSync } from "node:child_process";
import {
  copyFileSync,
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
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, requireBuilt } from "../support/packed-project.js";
import { type DocBlock, docBlocks, NEEDS, shellScript, withPorts } from "./blocks.js";

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

function runSh(b: DocBlock): void {
  const r = spawnSync("bash", ["-c", shellScript(b.code, portFor)], {
    cwd: clone,
    encoding: "utf8",
    env: userEnv(),
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
  await startHost();
}, 120_000);
afterAll(() => {
  host?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the docs' code blocks run as written", () => {
  it("finds the blocks", () => {
    expect(RUNNABLE.length).toBeGreaterThan(20);
    for (const b of RUNNABLE) {
      for (const need of Object.values(b.tags))
        expect(Object.keys(NEEDS), `${b.file}:${b.line}`).toContain(need);
    }
  });

  RUNNABLE.forEach((b, i) => {
    const name = `${b.file}:${b.line} (${b.lang}${b.tags.needs ? `, needs=${b.tags.needs}` : ""})`;
    it(name, async () => {
      if (b.tags.needs) {
        console.log(`skipped ${name}: ${NEEDS[b.tags.needs]}`);
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
