import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../server/start.js";
import { expectError } from "../contract/helpers.js";
import { openStore } from "../open-store.js";
import type { SqlStore } from "../sql/sql-store.js";
import { describeDialects, type TempStore, tempStore } from "../sql/test-support/temp-store.js";
import type { Store } from "../types.js";
import "./register.js";

describeDialects("remote store parity beyond the contract cases", (dialect) => {
  // The store methods beyond the contract suite's cases: written through the remote store,
  // then every answer read through it must equal the SQL store's own answer (either dialect).
  let backing: TempStore;
  let local: SqlStore;
  let server: RunningServer;
  let remote: Store;
  const ids: string[] = [];

  beforeAll(async () => {
    backing = await tempStore("parity", dialect);
    local = backing.store;
    server = await startServer(local, { port: 0 });
    remote = await openStore(server.url);
    await remote.createExperiment({ name: "qa", version: "1.0.0" });
    await remote.defineMetric("qa", { name: "em", kind: "range", threshold: { min: 0.5 } });
    await remote.defineMetric("qa", { name: "grade", kind: "rubric", categories: ["bad", "good"] });
    for (let r = 0; r < 4; r++) {
      const run = await remote.startRun({
        experiment: "qa:1.0.0",
        params: { model: r % 2 ? "b" : "a", lr: 0.1 * (r + 1) },
        tags: { stage: r < 2 ? "dev" : "prod" },
      });
      await run.logMetrics({ acc: 0.5 + r / 10, loss: Number.NaN });
      await run.logMetric("curve", r, { step: 1 });
      await run.logRows(
        Array.from({ length: 12 }, (_, i) => ({
          datapointId: `d${i}`,
          item: { q: i, topic: i % 3 ? "math" : "art" },
          scores: { em: (i + r) % 3 ? 1 : 0, grade: (i + r) % 2 ? "good" : "bad" },
        })),
      );
      await run.finish();
      ids.push(run.runId);
    }
    await remote.defineComposite("qa", { name: "mix", expression: "0.5 * scores.em + metrics.acc" });
  });
  afterAll(async () => {
    await server.close();
    await backing.close();
  });

  /** The answers of both stores to one call: values, or the error code and message thrown. */
  async function both<T>(fn: (s: Store) => Promise<T> | AsyncIterable<T>): Promise<[unknown, unknown]> {
    const read = async (s: Store) => {
      try {
        const v = fn(s);
        if (v && typeof v === "object" && Symbol.asyncIterator in v) {
          const out: T[] = [];
          for await (const x of v as AsyncIterable<T>) out.push(x);
          return out;
        }
        return await v;
      } catch (e) {
        const err = e as { code?: string; message?: string };
        return { threw: err.code, message: err.message };
      }
    };
    return [await read(remote), await read(local)];
  }

  it("search, iterate, rows and field catalog answer as the SQL store does", async () => {
    const cases: ((s: Store) => Promise<unknown> | AsyncIterable<unknown>)[] = [
      (s) => s.searchRuns({ filter: 'params.model = "b" and metrics.acc > 0.55', sort: "-metrics.acc" }),
      (s) => s.searchRuns({ filter: { "tags.stage": "dev" }, pageSize: 1, fields: ["metrics.acc"] }),
      (s) => s.iterateRuns({ pageSize: 1, fields: [] }),
      (s) => s.searchRows(ids[0]!, { filter: "scores.em = 0 and item.topic = 'math'", pageSize: 3 }),
      (s) => s.fieldCatalog({ experiment: "qa" }),
    ];
    for (const c of cases) {
      const [r, l] = await both(c);
      expect(r).toEqual(l);
    }
    const first = await remote.searchRuns({ pageSize: 2, sort: "params.lr" });
    const next = await remote.searchRuns({ pageSize: 2, sort: "params.lr", cursor: first.nextCursor! });
    expect([...first.data, ...next.data].map((r) => r.params?.lr)).toEqual([
      0.1, 0.2, 0.30000000000000004, 0.4,
    ]);
  });

  it("aggregates, results, composites and comparisons answer as the SQL store does", async () => {
    const cases: ((s: Store) => Promise<unknown>)[] = [
      (s) => s.aggregateScores(ids[0]!, { groupBy: "item.topic", percentiles: [50], bins: 3 }),
      (s) => s.aggregateScores(ids[1]!, { filter: "scores.em = 1", byDatapoint: true }),
      (s) => s.aggregateRuns({ experiment: "qa", metrics: ["acc", "loss"], groupBy: ["params.model"] }),
      (s) => s.runResult(ids[2]!, { aggregate: "median", datapoints: "failed", pageSize: 5, page: 2 }),
      (s) => s.getCompositeDefinitions("qa"),
      (s) => s.getMetricDefinitions("qa:1.0.0"),
      (s) => s.compareRuns(ids[1]!, ids[0]!, { metrics: ["em"], includeIds: true, seed: 7 }),
      (s) => s.compareGroups({ "params.model": "a" }, 'params.model = "b"', { metrics: ["acc"] }),
    ];
    for (const c of cases) {
      const [r, l] = await both(c);
      expect(r).toEqual(l);
    }
    const res = (await remote.aggregateRuns({ metrics: ["loss"] })).groups[0]!.metrics.loss!;
    expect(res.nanCount).toBe(4);
    await expectError(remote.compareRuns(ids[0]!, "nope"), "NOT_FOUND", /nope/);
    await expectError(remote.searchRuns({ filter: "acc >" }), "INVALID_ARGUMENT", /position/);
  });

  it("versions, executions, objects.jsonl, saved objects, tags maps and statuses", async () => {
    await remote.createExperiment({ name: "qa", version: "1.2.0" });
    expect(await remote.listVersions("qa")).toEqual(["1.0.0", "1.2.0"]);
    expect(await remote.listVersions("none")).toEqual([]);
    expect(await remote.latestVersion("qa")).toBe("1.2.0");
    const ex = await remote.createExecution({
      experiment: "qa:1.2.0",
      startedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    });
    expect(ex.executionId).toBe("20260102_030405");
    await remote.appendExecutionObjects("qa", ex.executionId, ['{"id":1}', '{"id":2,"x":"é"}']);
    const lines: string[] = [];
    for await (const l of remote.executionObjects("qa")) lines.push(l);
    expect(lines).toEqual(['{"id":1}\n', '{"id":2,"x":"é"}\n']);
    const shared = { name: "bert", w: new Float32Array([1, Number.NaN]) };
    const cyclic: Record<string, unknown> = { a: shared, b: shared };
    cyclic.self = cyclic;
    await remote.saveObject("qa", "config", cyclic);
    const back = (await remote.loadObject("qa", "config")) as Record<string, unknown>;
    expect(back.a).toBe(back.b);
    expect(back.self).toBe(back);
    expect((back.a as { w: Float32Array }).w).toBeInstanceOf(Float32Array);
    const updated = await remote.updateExecution("qa", ex.executionId, {
      status: "finished",
      finishedAt: Date.now(),
    });
    expect(updated.status).toBe("finished");
    const reads: ((s: Store) => Promise<unknown>)[] = [
      (s: Store) => s.listExecutions("qa"),
      (s: Store) => s.getExecution("qa"),
      (s: Store) => s.getExecution("qa", { executionId: ex.executionId }),
      (s: Store) => s.listObjects("qa"),
      (s: Store) => s.tagsMap("qa"),
      (s: Store) => s.runStatuses([...ids, "nope"]),
    ];
    for (const c of reads) {
      const [r, l] = await both(c);
      expect(r).toEqual(l);
    }
    await expectError(remote.getExecution("qa", { executionId: "19990101_000000" }), "NOT_FOUND");
    await expectError(
      remote.appendExecutionObjects("qa", ex.executionId, ["[1]"]),
      "INVALID_ARGUMENT",
      /lines\[0\]/,
    );
  });

  it("merge copies a local store into the server's, idempotently", async () => {
    const otherStore = await tempStore("parity-other");
    const other = otherStore.store;
    try {
      const run = await other.startRun({ experiment: "elsewhere", runId: "deterministic", params: { k: 1 } });
      await run.logRows([{ datapointId: "x", scores: { s: 0.5 } }]);
      await run.logArtifact("a.txt", "hello");
      await run.finish();
      const first = await remote.merge(other);
      expect(first).toMatchObject({ runs: 1, rows: 1, artifacts: 1 });
      expect((await remote.merge(other)).runs).toBe(0);
      const copied = await local.getArtifact(run.runId, "a.txt");
      expect(Buffer.from(copied.bytes).toString()).toBe("hello");
    } finally {
      await otherStore.close();
    }
  });
});
