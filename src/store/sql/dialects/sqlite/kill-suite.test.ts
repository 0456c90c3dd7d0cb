import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRng } from "../../../../stats/prng.js";
import type { SqlStore } from "../../sql-store.js";
import { openSqliteStore } from "./open.js";
import { blobDigest, payload } from "./test-support/kill-payload.js";

/**
 * The kill suite: a child process logging runs (rows, artifacts of 1-3 MB) is SIGKILLed at 20
 * seeded random moments. After each kill: the database passes `PRAGMA integrity_check`, every run
 * that finished before the kill is whole, the next open leaves no temporary artifact file, and a
 * new process logs on; the runs that were in flight read `crashed` once the heartbeat timeout
 * (1 s here) has passed.
 */
const KILLS = 20;
const TIMEOUT_MS = 1000;
const SEED = 12;

let work: string;
let childScript: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "labbook-kill-"));
  // One bundle for the children: each starts in a fraction of the time a TypeScript loader takes.
  const cache = join(import.meta.dirname, "../../../../../node_modules/.cache/labbook-tests");
  mkdirSync(cache, { recursive: true });
  childScript = join(cache, `kill-child-${process.pid}.mjs`);
  await build({
    entryPoints: [join(import.meta.dirname, "test-support", "kill-child.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile: childScript,
    logLevel: "error",
  });
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(childScript, { force: true });
});

interface Child {
  p: ChildProcess;
  label: string;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once a line satisfying `test` was printed. */
  waitFor(test: (line: string) => boolean): Promise<void>;
}

function spawnChild(dir: string, label: string, count?: number): Child {
  const args = [childScript, dir, label, ...(count === undefined ? [] : [String(count)])];
  const p = spawn(process.execPath, args, {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, LABBOOK_HEARTBEAT_TIMEOUT_MS: String(TIMEOUT_MS) },
  });
  const lines: string[] = [];
  const waiters: { test: (l: string) => boolean; resolve(): void }[] = [];
  let buf = "";
  let err = "";
  p.stdout!.on("data", (d) => {
    buf += d;
    const parts = buf.split("\n");
    buf = parts.pop()!;
    for (const l of parts) {
      lines.push(l);
      for (const w of waiters.splice(0)) w.test(l) ? w.resolve() : waiters.push(w);
    }
  });
  p.stderr!.on("data", (d) => {
    err += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    p.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    p,
    label,
    lines,
    exited,
    waitFor: (test) =>
      new Promise<void>((resolve, reject) => {
        if (lines.some(test)) return resolve();
        waiters.push({ test, resolve });
        exited.then(() => reject(new Error(`child ${label} exited: ${err}`)));
      }),
  };
}

/** `start`/`done` lines of a child: run id and k of each. */
function runsOf(c: Child, kind: "start" | "done"): { runId: string; k: number }[] {
  return c.lines
    .filter((l) => l.startsWith(`${kind} `))
    .map((l) => {
      const [, runId, k] = l.split(" ");
      return { runId: runId!, k: Number(k) };
    });
}

function tmpFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.startsWith(".tmp-")) out.push(join(d, e.name));
    }
  };
  if (existsSync(join(dir, "artifacts"))) walk(join(dir, "artifacts"));
  return out;
}

/** A run logged by child `label` as run `k` is whole: everything it logged, as logged. */
async function expectWhole(store: SqlStore, runId: string, label: string, k: number) {
  const p = payload(label, k);
  const run = await store.getRun(runId);
  expect(run.status, runId).toBe("success");
  expect(run.params).toEqual({ label, k });
  expect(run.metrics).toEqual({ loss: p.loss[4], acc: p.acc });
  expect((await store.getSeries(runId, "loss")).values).toEqual(p.loss);
  let rows = 0;
  for await (const r of store.iterateRowRecords(runId)) {
    expect(r.scores).toEqual(p.rows.find((x) => x.datapointId === r.datapointId)?.scores);
    rows++;
  }
  expect(rows).toBe(100);
  const blob = await store.getArtifact(runId, "blob.bin");
  expect([blob.descriptor.size, blob.descriptor.digest]).toEqual([p.size, blobDigest(label, k)]);
  expect(`sha256:${createHash("sha256").update(blob.bytes).digest("hex")}`).toBe(blob.descriptor.digest);
  expect((await store.getArtifact(runId, "note")).descriptor.size).toBeGreaterThan(0);
}

function integrity(dir: string): string {
  const raw = new BetterSqlite3(join(dir, "labbook.db"), { readonly: true });
  try {
    return String(raw.pragma("integrity_check", { simple: true }));
  } finally {
    raw.close();
  }
}

describe("kill suite: SIGKILL at 20 random moments while a process logs runs", () => {
  it("after each kill: integrity ok, finished runs whole, no temporary file after the next open, a new process logs on; in-flight runs read crashed after the timeout", async () => {
    const dir = join(work, "store");
    const rng = createRng(SEED);
    const inFlight: { runId: string; label: string; k: number; killedAt: number }[] = [];
    let checkedInFlight = 0;
    let leftovers = 0;
    let finished = 0;
    const checkInFlight = async (store: SqlStore, all: boolean) => {
      for (const f of inFlight) {
        if (!all && Date.now() - f.killedAt < TIMEOUT_MS + 300) continue;
        const run = await store.getRun(f.runId);
        // Killed after its last commit but before it printed `done`: then it is whole.
        if (run.status === "success") await expectWhole(store, f.runId, f.label, f.k);
        else expect(run.status, f.runId).toBe("crashed");
        checkedInFlight++;
      }
      inFlight.splice(
        0,
        inFlight.length,
        ...inFlight.filter((f) => Date.now() - f.killedAt < TIMEOUT_MS + 300),
      );
    };
    // Children are started a few turns ahead (each waits for its turn): node's start-up is not
    // what the suite measures.
    const queue = [0, 1, 2].map((n) => spawnChild(dir, `w${n}`));
    for (let i = 0; i < KILLS; i++) {
      const c = queue.shift()!;
      c.p.stdin!.write("go\n");
      await c.waitFor((l) => l === "ready"); // a new process logs on
      if (i + queue.length + 1 < KILLS) queue.push(spawnChild(dir, `w${i + queue.length + 1}`));
      const delay = 30 + Math.floor(rng() * 900);
      await new Promise((r) => setTimeout(r, delay));
      c.p.kill("SIGKILL");
      expect((await c.exited).signal).toBe("SIGKILL");
      const killedAt = Date.now();
      leftovers += existsSync(join(dir, "artifacts", ".tmp"))
        ? readdirSync(join(dir, "artifacts", ".tmp")).length
        : 0;
      expect(integrity(dir)).toBe("ok");
      const store = await openSqliteStore(dir, { heartbeatTimeoutMs: TIMEOUT_MS });
      try {
        expect(tmpFiles(dir)).toEqual([]);
        const done = runsOf(c, "done");
        for (const r of done) await expectWhole(store, r.runId, c.label, r.k);
        finished += done.length;
        const doneIds = new Set(done.map((r) => r.runId));
        for (const r of runsOf(c, "start")) {
          if (!doneIds.has(r.runId)) inFlight.push({ ...r, label: c.label, killedAt });
        }
        await checkInFlight(store, false);
      } finally {
        await store.close();
      }
    }
    // The last process logs three runs to the end and exits normally.
    const last = spawnChild(dir, "final", 3);
    last.p.stdin!.write("go\n");
    expect((await last.exited).code).toBe(0);
    const wait = Math.max(0, ...inFlight.map((f) => f.killedAt + TIMEOUT_MS + 300 - Date.now()));
    await new Promise((r) => setTimeout(r, wait));
    const store = await openSqliteStore(dir, { heartbeatTimeoutMs: TIMEOUT_MS });
    try {
      for (const r of runsOf(last, "done")) await expectWhole(store, r.runId, "final", r.k);
      expect(runsOf(last, "done")).toHaveLength(3);
      await checkInFlight(store, true);
      expect(await store.listRuns({ status: "running" })).toEqual([]);
      const all = await store.listRuns({ experiment: "kill" });
      expect(all.filter((r) => r.status === "success").length).toBeGreaterThanOrEqual(finished + 3);
      expect(integrity(dir)).toBe("ok");
      expect(tmpFiles(dir)).toEqual([]);
    } finally {
      await store.close();
    }
    expect(checkedInFlight).toBeGreaterThan(0);
    console.log(
      `kill suite: ${KILLS} kills, ${finished} runs finished before a kill (all whole), ${checkedInFlight} in flight (crashed, or whole), ${leftovers} temporary files left by kills and removed on the next open`,
    );
  }, 180_000);
});
