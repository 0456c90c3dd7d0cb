import { beforeEach, expect, it } from "vitest";
import type { SqlStore } from "../sql-store.js";
import { describeDialects, useTempStores } from "../test-support/temp-store.js";
import { executionStamp } from "./records.js";

describeDialects("executions in the SQL store", (dialect) => {
  const fresh = useTempStores("exec", dialect);
  let store: SqlStore;
  beforeEach(async () => {
    ({ store } = await fresh());
    await store.createExperiment({ name: "xp", version: "1.2.0" });
  });

  it("ids are YYYYMMDD_HHMMSS (UTC) with a suffix on collision; latest by start time", async () => {
    const at = Date.UTC(2026, 10, 22, 9, 45, 1);
    expect(executionStamp(at)).toBe("20261122_094501");
    const a = await store.createExecution({ experiment: "xp:1.2.0", startedAt: at });
    const b = await store.createExecution({ experiment: "xp", startedAt: at });
    expect([a.executionId, b.executionId]).toEqual(["20261122_094501", "20261122_094501_2"]);
    expect(a.uid).not.toBe(b.uid);
    expect(b.experimentId).toBe("xp:1.2.0");
    const c = await store.createExecution({ experiment: "xp", startedAt: at + 5000 });
    expect((await store.getExecution("xp")).executionId).toBe(c.executionId);
    expect((await store.listExecutions("xp")).map((e) => e.executionId)).toEqual([
      "20261122_094506",
      "20261122_094501_2",
      "20261122_094501",
    ]);
    await expect(store.getExecution("xp", { executionId: "20200101_000000" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(store.getExecution("xp", { executionId: "nope" })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(store.createExecution({ experiment: "other" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("appends objects lines in order and refuses a bad line without writing", async () => {
    const e = await store.createExecution({ experiment: "xp" });
    await store.appendExecutionObjects("xp", e.executionId, ['{"a":1}', '{"b":2}']);
    await store.appendExecutionObjects("xp", e.executionId, ['{"c":3}']);
    await expect(store.appendExecutionObjects("xp", e.executionId, ['{"d":4}', "[1]"])).rejects.toThrow(
      /lines\[1\]/,
    );
    const lines: string[] = [];
    for await (const l of store.executionObjects("xp")) lines.push(l);
    expect(lines).toEqual(['{"a":1}\n', '{"b":2}\n', '{"c":3}\n']);
  });

  it("saves and loads objects: latest execution holding the name by default", async () => {
    const e1 = await store.createExecution({ experiment: "xp", startedAt: 1_000_000 });
    const e2 = await store.createExecution({ experiment: "xp", startedAt: 2_000_000 });
    const shared = { k: 1 };
    await store.saveObject("xp", "final-results", { a: shared, b: shared }, { executionId: e1.executionId });
    await store.saveObject("xp", "other", [1, 2]);
    const back = (await store.loadObject("xp", "final-results")) as { a: object; b: object };
    expect(back.a).toBe(back.b);
    expect(await store.loadObject("xp", "other", { executionId: e2.executionId })).toEqual([1, 2]);
    await expect(store.loadObject("xp", "other", { executionId: e1.executionId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await store.listObjects("xp")).map((o) => `${o.executionId}/${o.name}`)).toEqual([
      `${e2.executionId}/other`,
      `${e1.executionId}/final-results`,
    ]);
  });

  it("versions in SemVer order and the latest", async () => {
    await store.createExperiment({ name: "xp", version: "1.10.0" });
    await store.createExperiment({ name: "xp", version: "1.9.1" });
    expect(await store.listVersions("xp")).toEqual(["1.2.0", "1.9.1", "1.10.0"]);
    expect(await store.latestVersion("xp")).toBe("1.10.0");
    await expect(store.latestVersion("nothing")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("updates status, end and manifest", async () => {
    const e = await store.createExecution({ experiment: "xp" });
    const done = await store.updateExecution("xp", e.executionId, { status: "finished", finishedAt: 5 });
    expect(done.status).toBe("finished");
    expect(done.finishedAt).toBe(new Date(5).toISOString());
    await expect(store.updateExecution("xp", e.executionId, { status: "odd" as never })).rejects.toThrow(
      /status/,
    );
  });
});
