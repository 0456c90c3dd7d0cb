import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LabbookError } from "../core/errors.js";
import { useTestS3 } from "../store/artifacts/test-support/s3-server.js";
import { openStore } from "../store/open-store.js";
import type { RemoteStore } from "../store/remote/remote-store.js";
import "../store/remote/register.js";
import { openPostgresStore } from "../store/sql/dialects/postgres/open.js";
import { describePostgres, pgTestDatabase } from "../store/sql/test-support/temp-store.js";
import type { Store } from "../store/types.js";
import { HttpApiKeys } from "./keys/http-api-keys.js";
import { SqlApiKeys } from "./keys/sql-api-keys.js";

const s3 = useTestS3();
const main = join(import.meta.dirname, "..", "cli", "main.ts");

interface Replica {
  child: ChildProcess;
  url: string;
}

/** Starts `labbook serve` in a process of its own and resolves once it listens. */
function serve(store: string, artifacts: string): Promise<Replica> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", main, "--store", store, "serve", "--artifacts", artifacts, "--port", "0"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on("data", (d) => {
      err += d;
    });
    child.once("exit", (code) => reject(new Error(`labbook serve exited (${code}): ${err}`)));
  });
}

describePostgres("two labbook serve processes over one database and one bucket", () => {
  let uri: string;
  let artifacts: string;
  const replicas: Replica[] = [];
  let admin: string;

  beforeAll(async () => {
    uri = `${await pgTestDatabase()}?schema=replicas`;
    artifacts = s3.uri("replicas");
    // The first admin key, written where both replicas read keys: the database.
    const store = await openPostgresStore(uri);
    admin = (await new SqlApiKeys(store.ctx).create({ workspace: "team", role: "admin" })).key;
    await store.close();
    replicas.push(...(await Promise.all([serve(uri, artifacts), serve(uri, artifacts)])));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(
      replicas.map(
        (r) =>
          new Promise((resolve) => {
            r.child.once("exit", resolve);
            r.child.kill("SIGTERM");
          }),
      ),
    );
  });

  it("a run written through one is found, searched, aggregated and compared through the other at once", async () => {
    const [a, b] = (await Promise.all(replicas.map((r) => openStore(r.url, { apiKey: admin })))) as Store[];
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const run = await a!.startRun({ experiment: "shared", params: { lr: 0.1 * (i + 1) } });
      await run.logMetrics({ acc: 0.5 + i / 4 });
      await run.logRows(
        Array.from({ length: 20 }, (_, k) => ({ datapointId: `d${k}`, scores: { em: (k + i) % 3 ? 1 : 0 } })),
      );
      await run.logArtifact("note.txt", `written through A, run ${i}`);
      await run.finish();
      ids.push(run.runId);
    }
    expect((await b!.getRun(ids[0]!)).metrics).toEqual({ acc: 0.5 });
    const page = await b!.searchRuns({
      filter: "params.lr > 0.15 and metrics.acc > 0.6",
      experiment: "shared",
    });
    expect(page.data.map((r) => r.runId)).toEqual([ids[1]]);
    expect(page.pagination.totalResults).toBe(1);
    const agg = await b!.aggregateRuns({ experiment: "shared", metrics: ["acc"] });
    expect(agg.groups[0]!.metrics.acc!.mean).toBeCloseTo(0.625);
    expect((await b!.aggregateScores(ids[0]!)).rows).toBe(20);
    const cmp = await b!.compareRuns(ids[1]!, ids[0]!, { seed: 1 });
    expect(cmp.commonDatapoints).toBe(20);
    expect(Object.keys(cmp.metrics)).toEqual(["em"]);
    const art = await b!.getArtifact(ids[1]!, "note.txt");
    expect(Buffer.from(art.bytes).toString()).toBe("written through A, run 1");
    // And the other way round.
    const back = await b!.startRun({ experiment: "shared", params: { lr: 0.9 } });
    await back.finish();
    expect((await a!.getRun(back.runId)).status).toBe("success");
  });

  it("a write through one is seen by the other's next read, after the other has answered the same reads (nothing kept per process)", async () => {
    const [a, b] = (await Promise.all(replicas.map((r) => openStore(r.url, { apiKey: admin })))) as Store[];
    const run = await a!.startRun({ experiment: "fresh", params: { lr: 0.1 } });
    await run.logMetrics({ acc: 0.5 });
    await run.flush();
    // The reads B answers before the write: each asked the same way after it.
    const reads = async () => ({
      total: (await b!.searchRuns({ experiment: "fresh", filter: "metrics.acc > 0.4", pageSize: 1 }))
        .pagination.totalResults,
      acc: (await b!.getRun(run.runId)).metrics.acc,
      status: (await b!.getRun(run.runId)).status,
      mean: (await b!.aggregateRuns({ experiment: "fresh", metrics: ["acc"] })).groups[0]!.metrics.acc!.mean,
      listed: (await b!.listRuns({ experiment: "fresh" })).length,
    });
    for (let i = 0; i < 3; i++)
      expect(await reads()).toEqual({ total: 1, acc: 0.5, status: "running", mean: 0.5, listed: 1 });
    await run.logMetrics({ acc: 0.9 });
    await run.finish();
    const other = await a!.startRun({ experiment: "fresh", params: { lr: 0.2 } });
    await other.logMetrics({ acc: 0.7 });
    await other.finish();
    expect(await reads()).toEqual({ total: 2, acc: 0.9, status: "success", mean: 0.8, listed: 2 });
  });

  it("a key created through one works on the other; a key revoked on one is refused by the other within a second", async () => {
    const onA = (await openStore(replicas[0]!.url, { apiKey: admin })) as RemoteStore;
    const made = await new HttpApiKeys(onA).create({ workspace: "team", role: "write" });
    const viaB = await openStore(replicas[1]!.url, { apiKey: made.key });
    const run = await viaB.startRun({ experiment: "keys" });
    await run.finish();
    await new HttpApiKeys(onA).revoke(made.info.id);
    const revokedAt = Date.now();
    let refusedAfter = Number.POSITIVE_INFINITY;
    for (;;) {
      const err = await viaB.listRuns({ limit: 1 }).then(
        () => null,
        (e) => e,
      );
      if (err) {
        expect(err).toBeInstanceOf(LabbookError);
        expect(err.code).toBe("UNAUTHENTICATED");
        refusedAfter = Date.now() - revokedAt;
        break;
      }
      if (Date.now() - revokedAt > 5000) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(refusedAfter).toBeLessThan(1000);
  });
});
