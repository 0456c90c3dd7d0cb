import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeDialects, type TempStore, useTempStores } from "../store/sql/test-support/temp-store.js";
import { loadExecution } from "./execution.js";

const script = join(import.meta.dirname, "test-support", "sweep-child.ts");

/** Starts the sweep child; resolves `progressAt(n)` when n runs have ended. */
function child(t: TempStore, env: Record<string, string>, concurrency = 2) {
  const p: ChildProcess = spawn(process.execPath, ["--import", "tsx", script, t.uri, String(concurrency)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env, LABBOOK_ARTIFACTS: `file:${t.artifacts}` },
  });
  let out = "";
  let err = "";
  let ended = 0;
  let running = 0;
  const waiters: { n: number; resolve(): void }[] = [];
  p.stdout!.on("data", (d) => {
    out += d;
    for (const m of String(d).matchAll(/progress (\d+) (\d+)/g)) {
      ended = Number(m[1]);
      running = Number(m[2]);
    }
    for (const w of waiters.splice(0)) {
      if (ended >= w.n && running > 0) w.resolve();
      else waiters.push(w);
    }
  });
  p.stderr!.on("data", (d) => {
    err += d;
  });
  const done = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    p.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    p,
    done,
    out: () => out,
    err: () => err,
    /** Resolves once at least n runs ended while others still run. */
    progressAt: (n: number) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ n, resolve });
        done.then(() => reject(new Error(`child ended first: ${err}`)));
      }),
  };
}

describeDialects("sweeps across processes", (dialect) => {
  const open = useTempStores("sweep", dialect);
  it("a 200-run sweep SIGKILLed half way: a relaunch completes exactly 200 successful runs, no duplicates", async () => {
    const t = await open();
    // The runs in flight at the kill read crashed once their heartbeat is 1 s old; the relaunch
    // waits for that, then reruns them.
    const env = {
      SWEEP_NAME: "crash",
      SWEEP_TO: "200",
      SWEEP_DELAY_MS: "4",
      LABBOOK_HEARTBEAT_TIMEOUT_MS: "1000",
    };
    const c = child(t, env, 3);
    await c.progressAt(100);
    c.p.kill("SIGKILL");
    expect((await c.done).signal).toBe("SIGKILL");
    const store = t.store;
    {
      const before = await store.listRuns({ experiment: "crash" });
      expect(before.length).toBeGreaterThanOrEqual(100);
      expect(before.length).toBeLessThan(200);
      const again = child(t, env, 4);
      expect((await again.done).code).toBe(0);
      const report = JSON.parse(/report (.*)/.exec(again.out())![1]!);
      expect(report.counts.skipped + report.counts.success).toBe(200);
      expect(report.counts.failed).toBe(0);
      const runs = await store.listRuns({ experiment: "crash" });
      expect(runs).toHaveLength(200);
      expect(new Set(runs.map((r) => r.runId)).size).toBe(200);
      expect(new Set(runs.map((r) => r.params.i)).size).toBe(200);
      expect(runs.every((r) => r.status === "success")).toBe(true);
      const loaded = await loadExecution(store, "crash");
      expect(loaded.runs.size).toBe(200);
    }
  }, 180_000);

  it("two processes resuming one sweep of 100 after a SIGKILL: each config claimed once, 101 to 104 runs executed in all", async () => {
    const t = await open();
    const log = join(t.dir(), "invocations.log");
    const env = {
      SWEEP_NAME: "claims",
      SWEEP_TO: "100",
      SWEEP_DELAY_MS: "60",
      SWEEP_LOG: log,
      LABBOOK_HEARTBEAT_TIMEOUT_MS: "1500",
    };
    const lines = () =>
      (existsSync(log) ? readFileSync(log, "utf8") : "")
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(" ") as [string, string, "start" | "end"]);
    // A: killed once 25 runs ended, while at least one run's function is in flight.
    const a = child(t, env, 2);
    const aPid = String(a.p.pid);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const mine = lines().filter((l) => l[1] === aPid);
        const ends = mine.filter((l) => l[2] === "end").length;
        if (ends >= 25 && mine.length - 2 * ends > 0) {
          clearInterval(timer);
          a.p.kill("SIGKILL");
          resolve();
        }
      }, 2);
      a.done.then(() => {
        clearInterval(timer);
        reject(new Error(`A ended first: ${a.err()}`));
      });
    });
    expect((await a.done).signal).toBe("SIGKILL");
    const aStarts = lines().filter((l) => l[1] === aPid && l[2] === "start").length;
    // B and C resume the sweep at the same time, on the same store.
    const b = child(t, env, 2);
    const c = child(t, env, 2);
    const [rb, rc] = await Promise.all([b.done, c.done]);
    expect([rb.code, rc.code], b.err() + c.err()).toEqual([0, 0]);
    const starts = lines().filter((l) => l[2] === "start");
    const by = (pid: number | undefined) =>
      new Set(starts.filter((l) => l[1] === String(pid)).map((l) => l[0]));
    const [inB, inC] = [by(b.p.pid), by(c.p.pid)];
    expect([...inB].filter((i) => inC.has(i))).toEqual([]); // no config run by both
    expect(inB.size + inC.size).toBe(starts.length - aStarts);
    expect(starts.length).toBeGreaterThanOrEqual(101);
    expect(starts.length).toBeLessThanOrEqual(104);
    const store = t.store;
    {
      const runs = await store.listRuns({ experiment: "claims" });
      expect(runs).toHaveLength(100);
      expect(new Set(runs.map((r) => r.params.i)).size).toBe(100);
      expect(runs.every((r) => r.status === "success")).toBe(true);
      const reports = [b, c].map((x) => JSON.parse(/report (.*)/.exec(x.out())![1]!));
      expect(reports.reduce((n, r) => n + r.counts.success, 0)).toBe(inB.size + inC.size);
      const executions = await store.listExecutions("claims");
      expect(executions.map((e) => e.status).sort()).toEqual(["crashed", "finished", "finished"]);
    }
  }, 180_000);

  it("SIGINT: the runs in flight become cancelled, nothing else is written, exit code 130; a relaunch finishes", async () => {
    const t = await open();
    const env = { SWEEP_NAME: "sigint", SWEEP_TO: "40", SWEEP_DELAY_MS: "150" };
    const c = child(t, env, 3);
    await c.progressAt(3);
    c.p.kill("SIGINT");
    const { code } = await c.done;
    expect(code).toBe(130);
    const report = JSON.parse(/report (.*)/.exec(c.out())![1]!);
    expect(report.interrupted).toBe(true);
    expect(report.counts.cancelled).toBeGreaterThanOrEqual(1);
    const store = t.store;
    {
      const runs = await store.listRuns({ experiment: "sigint" });
      const cancelled = runs.filter((r) => r.status === "cancelled");
      expect(cancelled).toHaveLength(report.counts.cancelled);
      expect(runs.filter((r) => r.status === "success")).toHaveLength(report.counts.success);
      expect(runs.length).toBe(report.counts.success + report.counts.cancelled);
      expect(runs.length).toBeLessThan(40);
      expect((await store.getExecution("sigint")).status).toBe("interrupted");
      const again = child(t, env, 8);
      expect((await again.done).code).toBe(0);
      const all = await store.listRuns({ experiment: "sigint" });
      expect(all).toHaveLength(40);
      expect(all.every((r) => r.status === "success")).toBe(true);
    }
  }, 180_000);
});
