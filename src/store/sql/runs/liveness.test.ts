import { describe, expect, it } from "vitest";
import { matchesRun } from "../../../query/evaluate.js";
import { parseQuery } from "../../../query/parse.js";
import { Results } from "../../../results/results.js";
import { stopHeartbeats } from "../../heartbeat.js";
import { openStore } from "../../open-store.js";
import { openSqliteStore } from "../dialects/sqlite/open.js";
import { useTempStores } from "../dialects/sqlite/test-support/temp-store.js";
import { touch } from "./liveness.js";

const fresh = useTempStores("liveness");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A run left open by `writer`: a metric, a row and an artifact written, never finished. */
async function openRun(writer: Awaited<ReturnType<typeof openSqliteStore>>, experiment = "live") {
  const run = await writer.startRun({ experiment, params: { lr: 0.1 } });
  await run.logMetric("loss", 0.5);
  await run.logRows([{ datapointId: "d1", scores: { em: 1 } }]);
  await run.logArtifact("note", { a: 1 });
  return run;
}

describe("crashed runs (heartbeat older than the timeout)", () => {
  it("read crashed everywhere (getRun, listRuns, search, counts, catalog, aggregates, statuses, Results), data kept", async () => {
    const t = await fresh();
    const run = await openRun(t.store); // its writer beats every 10 s (timeout 60 s)
    const done = await t.store.startRun({ experiment: "live", params: { lr: 0.2 } });
    await done.logMetric("loss", 0.25);
    await done.finish();
    // A reader that judges by 1.5 s; the writer's last heartbeat is sent now (a loaded machine
    // may take longer than a short timeout to get here), and none after it.
    const reader = await openSqliteStore(t.dir, { heartbeatTimeoutMs: 1_500 });
    try {
      await touch(t.store.ctx, { runIds: [run.runId] }, Date.now());
      expect((await reader.getRun(run.runId)).status).toBe("running");
      const running = { filter: 'status = "running"', fields: [] };
      expect((await reader.searchRuns(running)).pagination.totalResults).toBe(1); // counts cached now
      expect((await t.store.searchRuns(running)).pagination.totalResults).toBe(1);
      await sleep(1_600);
      const rec = await reader.getRun(run.runId);
      expect(rec.status).toBe("crashed");
      expect(rec.metrics).toEqual({ loss: 0.5 });
      expect(rec.finishedAt).toBeNull();
      expect((await reader.getArtifact(run.runId, "note")).descriptor.size).toBeGreaterThan(0);
      const rows = [];
      for await (const r of reader.iterateRowRecords(run.runId)) rows.push(r.datapointId);
      expect(rows).toEqual(["d1"]);
      expect((await reader.listRuns({ status: "crashed" })).map((r) => r.runId)).toEqual([run.runId]);
      expect(await reader.listRuns({ status: "running" })).toEqual([]);
      // The writer's cached count follows the status the reader wrote (through the change log).
      expect((await t.store.searchRuns(running)).pagination.totalResults).toBe(0);
      for (const [filter, ids] of [
        ['status = "crashed"', [run.runId]],
        ['status = "running"', []],
        ['status != "crashed"', [done.runId]],
        ['status in ("crashed", "success")', [run.runId, done.runId]],
      ] as const) {
        const page = await reader.searchRuns({ filter, fields: [] });
        expect(page.data.map((r) => r.runId).sort(), filter).toEqual([...ids].sort());
        expect(page.pagination.totalResults, filter).toBe(ids.length);
      }
      const iterated = [];
      for await (const r of reader.iterateRuns({ filter: 'status = "crashed"' })) iterated.push(r.runId);
      expect(iterated).toEqual([run.runId]);
      const catalog = await reader.fieldCatalog();
      expect(catalog.find((f) => f.field === "status")?.values).toEqual(
        expect.arrayContaining(["crashed", "success"]),
      );
      const agg = await reader.aggregateRuns({ metrics: ["loss"], groupBy: "status" });
      expect(agg.groups.map((g) => [g.key.status, g.runs]).sort()).toEqual([
        ["crashed", 1],
        ["success", 1],
      ]);
      expect(await reader.runStatuses([run.runId, done.runId])).toEqual({
        [run.runId]: "crashed",
        [done.runId]: "success",
      });
      const results = await Results.fromStore(reader, { experiment: "live" });
      expect(results.summary().byStatus.crashed).toBe(1);
      expect(results.filter({ status: "crashed" }).runs.map((r) => r.runId)).toEqual([run.runId]);
      // Written, not computed: the writer's own store (timeout 60 s) reads the same status.
      expect((await t.store.getRun(run.runId)).status).toBe("crashed");
      expect((await t.store.searchRuns(running)).pagination.totalResults).toBe(0);
      // The writer was only stalled: it logs again, and the run is running; it can finish.
      await run.logMetric("loss", 0.4);
      await run.flush();
      expect((await t.store.getRun(run.runId)).status).toBe("running");
      await run.finish();
      const ended = await reader.getRun(run.runId);
      expect(ended.status).toBe("success");
      expect(ended.metrics).toEqual({ loss: 0.4 });
    } finally {
      await reader.close();
    }
  });

  it("a heartbeat keeps an open run running, and revives a crashed one", async () => {
    const t = await fresh();
    const writer = await openSqliteStore(t.dir, { heartbeatTimeoutMs: 1500 }); // beats every 500 ms
    const reader = await openSqliteStore(t.dir, { heartbeatTimeoutMs: 1500 });
    try {
      const run = await openRun(writer);
      await sleep(2500); // longer than the timeout: only the heartbeats keep it running
      expect((await reader.getRun(run.runId)).status).toBe("running");
      stopHeartbeats(writer); // no more heartbeats, as when its process is killed
      await sleep(1700);
      expect((await reader.getRun(run.runId)).status).toBe("crashed");
      await reader.heartbeat({ runIds: [run.runId, "no-such-run"] });
      expect((await reader.getRun(run.runId)).status).toBe("running");
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it("status = crashed / running: the SQL search equals the reference evaluator over the same records", async () => {
    const t = await fresh();
    const open: string[] = [];
    for (let i = 0; i < 12; i++) {
      const run = await t.store.startRun({ experiment: "mix", params: { i } });
      await run.logMetric("acc", i / 12);
      await run.flush();
      if (i % 4 === 0) await run.finish();
      else if (i % 4 === 1) await run.fail(new Error("no"));
      else if (i % 4 === 2) await run.cancel();
      else open.push(run.runId);
    }
    const late = await t.store.startRun({ experiment: "mix", params: { i: 99 } }); // opened later: still alive
    await late.flush();
    const reader = await openSqliteStore(t.dir, { heartbeatTimeoutMs: 60_000 });
    try {
      // Backdate the heartbeats of the runs left open (their writer "died" long ago).
      await touch(reader.ctx, { runIds: open }, 0);
      const records = await reader.listRuns({ experiment: "mix" });
      expect(
        records
          .filter((r) => r.status === "crashed")
          .map((r) => r.runId)
          .sort(),
      ).toEqual([...open].sort());
      expect(records.find((r) => r.runId === late.runId)?.status).toBe("running");
      for (const filter of [
        'status = "crashed"',
        'status = "running"',
        'status != "running"',
        'status in ("crashed", "cancelled")',
        'status like "%ash%"',
        'not status = "crashed" and metrics.acc > 0.2',
        { status: { $in: ["crashed", "running"] } },
      ]) {
        const expected = records.filter((r) => matchesRun(parseQuery(filter, "runs"), r)).map((r) => r.runId);
        const page = await reader.searchRuns({ filter, experiment: "mix", fields: [], pageSize: 100 });
        expect(page.data.map((r) => r.runId).sort(), JSON.stringify(filter)).toEqual(expected.sort());
        expect(page.pagination.totalResults).toBe(expected.length);
      }
    } finally {
      await reader.close();
    }
  });

  it("an execution whose runner stopped reads crashed; one that ended, or never had a heartbeat, keeps its status", async () => {
    const t = await fresh();
    await t.store.ensureExperiment({ name: "exe", version: "1.0.0" });
    const a = await t.store.createExecution({ experiment: "exe:1.0.0", startedAt: Date.UTC(2026, 0, 1) });
    const b = await t.store.createExecution({ experiment: "exe:1.0.0", startedAt: Date.UTC(2026, 0, 2) });
    const c = await t.store.createExecution({ experiment: "exe:1.0.0", startedAt: Date.UTC(2026, 0, 3) });
    // a and b had a runner (one heartbeat each, as runExperiment sends); c was made by hand.
    await t.store.heartbeat({ executions: [a, b].map((e) => ({ name: "exe", executionId: e.executionId })) });
    await t.store.updateExecution("exe", b.executionId, { status: "finished", finishedAt: Date.now() });
    const reader = await openSqliteStore(t.dir, { heartbeatTimeoutMs: 200 });
    try {
      await sleep(300);
      const byId = Object.fromEntries(
        (await reader.listExecutions("exe")).map((e) => [e.executionId, e.status]),
      );
      expect(byId).toEqual({
        [a.executionId]: "crashed",
        [b.executionId]: "finished",
        [c.executionId]: "running",
      });
      expect((await reader.getExecution("exe", { executionId: a.executionId })).status).toBe("crashed");
      await t.store.heartbeat({ executions: [{ name: "exe", executionId: a.executionId }] });
      expect((await t.store.getExecution("exe", { executionId: a.executionId })).status).toBe("running");
    } finally {
      await reader.close();
    }
  });

  it("a claim (ifExists replace, replaceIf) takes a crashed or cancelled run, never a live one", async () => {
    const t = await fresh();
    const live = await t.store.startRun({ experiment: "claim", runId: "r-live" });
    await live.flush();
    const claim = { experiment: "claim", ifExists: "replace", replaceIf: ["crashed", "cancelled"] } as const;
    const other = await openSqliteStore(t.dir, { heartbeatTimeoutMs: 60_000 });
    try {
      await expect(other.startRun({ ...claim, runId: "r-live" })).rejects.toMatchObject({
        code: "ALREADY_EXISTS",
        message: /status running/,
      });
      const gone = await openSqliteStore(t.dir, { heartbeatTimeoutMs: 100 });
      await sleep(150);
      const taken = await gone.startRun({ ...claim, runId: "r-live" }); // its heartbeat is old now
      await taken.logMetric("acc", 1);
      await taken.finish();
      await gone.close();
      expect((await other.getRun("r-live")).metrics).toEqual({ acc: 1 });
      await expect(
        other.startRun({ ...claim, runId: "r-live" }).then((x) => x.flush()),
      ).rejects.toMatchObject({
        code: "ALREADY_EXISTS",
        message: /status success/,
      });
      await expect(other.startRun({ experiment: "claim", replaceIf: ["crashed"] })).rejects.toMatchObject({
        code: "INVALID_ARGUMENT",
        field: "replaceIf",
      });
      await expect(
        other.startRun({ experiment: "claim", ifExists: "replace", replaceIf: ["gone" as "crashed"] }),
      ).rejects.toMatchObject({ code: "INVALID_ARGUMENT", field: "replaceIf" });
    } finally {
      await other.close();
    }
  });

  it("the timeout comes from the option, else $LABBOOK_HEARTBEAT_TIMEOUT_MS, else 60 s; a bad one is refused", async () => {
    const t = await fresh();
    const saved = process.env.LABBOOK_HEARTBEAT_TIMEOUT_MS;
    try {
      delete process.env.LABBOOK_HEARTBEAT_TIMEOUT_MS;
      expect(t.store.heartbeatTimeoutMs).toBe(60_000);
      process.env.LABBOOK_HEARTBEAT_TIMEOUT_MS = "5000";
      const fromEnv = await openStore(t.dir);
      expect(fromEnv.heartbeatTimeoutMs).toBe(5000);
      await fromEnv.close();
      const fromOption = await openStore(`sqlite:${t.dir}`, { heartbeatTimeoutMs: 1234 });
      expect(fromOption.heartbeatTimeoutMs).toBe(1234);
      await fromOption.close();
      process.env.LABBOOK_HEARTBEAT_TIMEOUT_MS = "soon";
      await expect(openStore(t.dir)).rejects.toMatchObject({
        code: "INVALID_ARGUMENT",
        field: "LABBOOK_HEARTBEAT_TIMEOUT_MS",
      });
      await expect(openStore(t.dir, { heartbeatTimeoutMs: 0 })).rejects.toMatchObject({
        field: "heartbeatTimeoutMs",
      });
    } finally {
      if (saved === undefined) delete process.env.LABBOOK_HEARTBEAT_TIMEOUT_MS;
      else process.env.LABBOOK_HEARTBEAT_TIMEOUT_MS = saved;
    }
  });
});
