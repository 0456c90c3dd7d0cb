import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "./open.js";

const script = join(import.meta.dirname, "test-support", "log-runs.ts");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function child(dir: string, count: number, label: string) {
  const p = spawn(process.execPath, ["--import", "tsx", script, dir, String(count), label], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  p.stdout.on("data", (d) => {
    out += d;
  });
  p.stderr.on("data", (d) => {
    err += d;
  });
  const done = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    p.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { p, done, out: () => out, err: () => err };
}

async function checkWhole(dir: string, ids: string[]) {
  const store = await openSqliteStore(dir);
  try {
    for (const id of ids) {
      const run = await store.getRun(id);
      expect(run.status).toBe("success");
      expect(Object.keys(run.metrics).sort()).toEqual(["acc", "f1", "loss", "p", "r"]);
      let rows = 0;
      for await (const _ of store.iterateRowRecords(id)) rows++;
      expect(rows).toBe(3);
      const note = await store.getArtifact(id, "note.txt");
      expect(Buffer.from(note.bytes).toString()).toMatch(/^run \d+ of /);
    }
    return await store.listRuns();
  } finally {
    await store.close();
  }
}

describe("the embedded store across processes", () => {
  it("two processes log 200 runs each into one store at once: 400 whole runs, no lock errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "labbook-mp-"));
    dirs.push(dir);
    await (await openSqliteStore(dir)).close();
    const a = child(dir, 200, "A");
    const b = child(dir, 200, "B");
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(a.err() + b.err()).not.toMatch(/locked|SQLITE_BUSY/i);
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    const ids = [...a.out().trim().split("\n"), ...b.out().trim().split("\n")];
    expect(new Set(ids).size).toBe(400);
    const all = await checkWhole(dir, ids);
    expect(all).toHaveLength(400);
    expect(all.filter((r) => r.status === "success")).toHaveLength(400);
  });

  it("a process killed (SIGKILL) while logging leaves a store that opens with every finished run whole", async () => {
    const dir = mkdtempSync(join(tmpdir(), "labbook-kill-"));
    dirs.push(dir);
    const c = child(dir, 100_000, "K");
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (c.out().split("\n").length > 60) {
          clearInterval(timer);
          c.p.kill("SIGKILL");
          resolve();
        }
      }, 5);
      c.done.then(() => {
        clearInterval(timer);
        reject(new Error(`child ended early: ${c.err()}`));
      });
    });
    const { signal } = await c.done;
    expect(signal).toBe("SIGKILL");
    const finished = c.out().split("\n").slice(0, -1).filter(Boolean);
    expect(finished.length).toBeGreaterThanOrEqual(60);
    const all = await checkWhole(dir, finished);
    const unfinished = all.filter((r) => !finished.includes(r.runId));
    expect(unfinished.length).toBeLessThanOrEqual(1);
    for (const r of unfinished) expect(["running", "success"]).toContain(r.status);
  });
});
