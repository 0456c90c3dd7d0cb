import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../server/start.js";
import { openStore } from "../store/open-store.js";
import "../store/remote/register.js";
import { type TempStore, tempStore } from "../store/sql/dialects/sqlite/test-support/temp-store.js";
import type { Store } from "../store/types.js";
import { defineExperiment } from "./define.js";
import { runExperiment } from "./run-experiment.js";

/** A run function that logs as a training loop does: nothing awaited. */
const experiment = defineExperiment({
  name: "unawaited",
  params: { lr: [0.1, 0.2, 0.3] },
  run: async ({ params, capture }) => {
    for (let step = 0; step < 5; step++) capture.metric("v", step * (params.lr as number), { step });
    capture.row({ datapointId: "q1", scores: { s: 1 } });
    capture.artifact("note", { lr: params.lr, version: 1 });
    capture.rows([
      { datapointId: "q1", scores: { s: 2 } },
      { datapointId: "q2", scores: { s: 3 } },
    ]);
    capture.artifact("note", { lr: params.lr, version: 2 });
    capture.data("curve", [1, 2, 3]);
    capture.metrics({ done: 1 });
    capture.log("logged without awaiting");
  },
});

async function expectInOrder(store: Store): Promise<void> {
  const { records } = await runExperiment(experiment, { store });
  expect(records.map((r) => r.status)).toEqual(["success", "success", "success"]);
  for (const rec of records) {
    expect(rec.error).toBeNull();
    expect(rec.metrics).toMatchObject({ v: 4 * (rec.params.lr as number), done: 1 });
    expect((await store.getSeries(rec.runId, "v")).steps).toEqual([0, 1, 2, 3, 4]);
    const rows: [string, unknown][] = [];
    for await (const r of store.iterateRowRecords(rec.runId)) rows.push([r.datapointId, r.scores.s]);
    expect(rows).toEqual([
      ["q1", 2],
      ["q2", 3],
    ]);
    const note = JSON.parse(Buffer.from((await store.getArtifact(rec.runId, "note")).bytes).toString());
    expect(note).toEqual({ lr: rec.params.lr, version: 2 });
    expect(await store.getData(rec.runId, "curve")).toEqual([1, 2, 3]);
    const log = Buffer.from((await store.getArtifact(rec.runId, "log")).bytes).toString();
    expect(log).toBe("logged without awaiting\n");
  }
}

describe("capture calls left un-awaited in a run function", () => {
  let local: TempStore;
  let behindServer: TempStore;
  let server: RunningServer;
  beforeAll(async () => {
    local = await tempStore("unawaited");
    behindServer = await tempStore("unawaited-server");
    server = await startServer(behindServer.store, { host: "127.0.0.1", port: 0, allowOpen: true });
  });
  afterAll(async () => {
    await server.close();
    await behindServer.close();
    await local.close();
  });

  it("apply in call order and the runs succeed (embedded store)", async () => {
    await expectInOrder(local.store);
  });

  it("apply in call order and the runs succeed (remote store)", async () => {
    const remote = await openStore(server.url);
    await expectInOrder(remote);
    await remote.close();
  });
});
