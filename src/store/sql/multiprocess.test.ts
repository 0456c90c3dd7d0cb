import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import type { SqlStore } from "./sql-store.js";
import { describeDialects, type TempStore, useTempStores } from "./test-support/temp-store.js";

const script = join(import.meta.dirname, "test-support", "log-runs.ts");

function child(t: TempStore, count: number, label: string) {
  const p = spawn(process.execPath, ["--import", "tsx", script, t.uri, String(count), label], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LABBOOK_ARTIFACTS: `file:${t.artifacts}` },
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

async function checkWhole(store: SqlStore, ids: string[]) {
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
}

describeDialects("one store written by several processes", (dialect) => {
  const fresh = useTempStores("mp", dialect);

  it("two processes log 200 runs each into one store at once: 400 whole runs, no lock errors", async () => {
    const t = await fresh();
    const a = child(t, 200, "A");
    const b = child(t, 200, "B");
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(a.err() + b.err()).not.toMatch(/locked|SQLITE_BUSY|deadlock/i);
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    const ids = [...a.out().trim().split("\n"), ...b.out().trim().split("\n")];
    expect(new Set(ids).size).toBe(400);
    const all = await checkWhole(t.store, ids);
    expect(all).toHaveLength(400);
    expect(all.filter((r) => r.status === "success")).toHaveLength(400);
  });

  it("a process killed (SIGKILL) while logging leaves a store that opens with every finished run whole", async () => {
    const t = await fresh();
    const c = child(t, 100_000, "K");
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
    const reopened = await t.another();
    const all = await checkWhole(reopened, finished);
    const unfinished = all.filter((r) => !finished.includes(r.runId));
    expect(unfinished.length).toBeLessThanOrEqual(1);
    for (const r of unfinished) expect(["running", "success"]).toContain(r.status);
  });

  // PostgreSQL only: this is the team backend's many-writers check (run keys from a sequence,
  // retried serialization failures). SQLite's writers take one file lock in turn; its case is
  // the two-process one above, and `npm run bench -- team` measures 8 writers on both.
  it.runIf(dialect === "postgres")(
    "8 processes log 500 runs each at once (params, metrics, rows, an artifact): 4,000 runs, none lost or duplicated, no error",
    async () => {
      const t = await fresh();
      const writers = Array.from({ length: 8 }, (_, w) => child(t, 500, `W${w}`));
      const ends = await Promise.all(writers.map((w) => w.done));
      const errors = writers.map((w) => w.err()).join("");
      expect(errors).toBe("");
      expect(ends.map((e) => e.code)).toEqual(Array(8).fill(0));
      const ids = writers.flatMap((w) => w.out().trim().split("\n"));
      expect(ids).toHaveLength(4000);
      expect(new Set(ids).size).toBe(4000);
      const page = await t.store.searchRuns({ filter: 'status = "success"', pageSize: 1, fields: [] });
      expect(page.pagination.totalResults).toBe(4000);
      const perWriter = await t.store.aggregateRuns({ metrics: ["acc"], groupBy: ["tags.writer"] });
      expect(perWriter.groups.map((g) => g.runs)).toEqual(Array(8).fill(500));
      // Every run whole: a sample checked in full, and every run's rows and artifact counted.
      await checkWhole(
        t.store,
        ids.filter((_, i) => i % 97 === 0),
      );
      const counts = await t.store.ctx.db
        .selectFrom("runs as r")
        .select((eb) => [
          eb.fn.countAll<number>().as("runs"),
          eb
            .selectFrom("run_rows")
            .select((e) => e.fn.countAll<number>().as("n"))
            .as("rows"),
          eb
            .selectFrom("artifacts")
            .select((e) => e.fn.countAll<number>().as("n"))
            .as("artifacts"),
          eb
            .selectFrom("run_params")
            .select((e) => e.fn.countAll<number>().as("n"))
            .as("leaves"),
        ])
        .executeTakeFirstOrThrow();
      expect(counts).toEqual({ runs: 4000, rows: 12_000, artifacts: 4000, leaves: 20_000 });
    },
    600_000,
  );
});
