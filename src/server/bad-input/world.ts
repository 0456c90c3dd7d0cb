import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { expect } from "vitest";
import { type ErrorCode, LabbookError } from "../../core/errors.js";
import { openStore } from "../../store/open-store.js";
import "../../store/remote/register.js";
import type { RunHandle } from "../../store/run-handle.js";
import { openSqliteStore } from "../../store/sql/dialects/sqlite/open.js";
import type { SqlStore } from "../../store/sql/sql-store.js";
import type { Store } from "../../store/types.js";
import { SqlApiKeys } from "../keys/sql-api-keys.js";
import { type RunningServer, startServer } from "../start.js";

/** How a case reaches the store: the embedded store, or the remote store over a loopback server. */
export type Via = "library" | "http";
export const VIAS: readonly Via[] = ["library", "http"];

/**
 * One store in a temporary folder, served on loopback, with what the cases need: an experiment
 * `cat:1.0.0` of 20 finished runs (`params.id` 0-19, `params.model` a or b, `metrics.acc`), a
 * finished run of 40 rows (`d0`..`d39`), a running run, and one open run handle per way in.
 */
export interface World {
  dir: string;
  local: SqlStore;
  server: RunningServer;
  remote: Store;
  /** An admin key of workspace `default` (the server requires keys). */
  adminKey: string;
  runIds: string[];
  rowsRunId: string;
  openRunId: string;
  handles: Record<Via, RunHandle>;
  store(via: Via): Store;
  close(): Promise<void>;
}

export async function makeWorld(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), "labbook-bad-input-"));
  const local = await openSqliteStore(dir);
  const { key: adminKey } = await new SqlApiKeys(local.ctx).create({ workspace: "default", role: "admin" });
  const server = await startServer(local, { port: 0 });
  const remote = await openStore(server.url, { apiKey: adminKey });
  await local.createExperiment({ name: "cat", version: "1.0.0" });
  const runIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    const run = await local.startRun({
      experiment: "cat:1.0.0",
      params: { id: i, model: i % 2 ? "a" : "b" },
      tags: { k: `v${i}` },
    });
    await run.logMetrics({ acc: i / 20 });
    await run.finish();
    runIds.push(run.runId);
  }
  const rowsRun = await local.startRun({ experiment: "cat:1.0.0", name: "rows" });
  await rowsRun.logRows(
    Array.from({ length: 40 }, (_, i) => ({
      datapointId: `d${i}`,
      item: { n: i },
      scores: { em: i % 2, grade: i % 3 ? "good" : "bad" },
    })),
  );
  await rowsRun.finish();
  const open = await local.createRun({ experiment: "cat:1.0.0", name: "open" });
  const handles = {
    library: await local.startRun({ experiment: "cat:1.0.0", name: "handle-library" }),
    http: await remote.startRun({ experiment: "cat:1.0.0", name: "handle-http" }),
  };
  await handles.library.flush();
  await handles.http.flush();
  return {
    dir,
    local,
    server,
    remote,
    adminKey,
    runIds,
    rowsRunId: rowsRun.runId,
    openRunId: open.runId,
    handles,
    store: (via) => (via === "library" ? local : remote),
    async close() {
      await server.close();
      await local.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The row count of every table of the store's database, the files under its folder, and a digest of its runs. */
export async function contents(w: World): Promise<Record<string, number | string>> {
  const { rows: tables } = await sql<{
    name: string;
  }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
    w.local.ctx.db,
  );
  const out: Record<string, number | string> = {};
  for (const { name } of tables) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(
      w.local.ctx.db,
    );
    out[name] = Number(rows[0]?.n ?? 0);
  }
  out["(files)"] = readdirSync(w.dir, { recursive: true }).length;
  // What a refused call could change without adding a row: a run's status, end, tags or params
  // (heartbeats are left out: open runs beat on their own clock).
  const { rows } = await sql<{
    digest: string;
  }>`select group_concat(run_id || status || coalesce(finished_at, '') || tags || params || coalesce(name, ''), '|') as digest from (select * from runs order by id)`.execute(
    w.local.ctx.db,
  );
  out["(runs digest)"] = rows[0]?.digest ?? "";
  return out;
}

/**
 * Runs `call`, expects it refused with `code` and a message matching `message`, and the store's
 * contents (rows of every table, files) unchanged: nothing half-written.
 */
export async function expectRefused(
  w: World,
  call: () => Promise<unknown>,
  code: ErrorCode,
  message: RegExp,
): Promise<LabbookError> {
  const before = await contents(w);
  let error: unknown = null;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error, "the call was accepted").toBeInstanceOf(LabbookError);
  const e = error as LabbookError;
  expect({ code: e.code, message: e.message }).toEqual({ code, message: expect.stringMatching(message) });
  expect(e.message).not.toMatch(/SQLITE|Maximum call stack|\n\s+at |internal error/);
  expect(await contents(w)).toEqual(before);
  return e;
}
