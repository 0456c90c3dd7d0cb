import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../store/types.js";
import { errorOf, jsonInit, type ServerFixture, serverFixture } from "./test-support/fixture.js";

let fx: ServerFixture;
let h: Record<string, string>;
beforeAll(async () => {
  fx = await serverFixture();
  h = await fx.keyHeaders("default", "write");
});
afterAll(() => fx.cleanup());

describe("routes", () => {
  it("artifacts stream up and down with size, media type and digest headers", async () => {
    const run = await fx.store.startRun({ experiment: "a" });
    await run.flush();
    const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
    const up = await fx.app.request(`/api/v1/runs/${run.runId}/artifacts/data.bin`, {
      method: "PUT",
      headers: { ...h, "content-type": "application/x-thing", "x-labbook-artifact-kind": "weights" },
      body: bytes,
    });
    expect(up.status).toBe(200);
    const hex = createHash("sha256").update(bytes).digest("hex");
    expect(await up.json()).toMatchObject({
      kind: "weights",
      mediaType: "application/x-thing",
      size: 100_000,
    });
    const down = await fx.app.request(`/api/v1/runs/${run.runId}/artifacts/data.bin`, { headers: h });
    expect(down.status).toBe(200);
    expect(down.headers.get("content-length")).toBe("100000");
    expect(down.headers.get("content-type")).toBe("application/x-thing");
    expect(down.headers.get("x-labbook-digest")).toBe(`sha256:${hex}`);
    expect(down.headers.get("digest")).toBe(`sha-256=${Buffer.from(hex, "hex").toString("base64")}`);
    expect(Buffer.from(await down.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });

  it("an artifact uploaded as application/json is stored as sent, not read as a JSON body", async () => {
    const run = await fx.store.startRun({ experiment: "a" });
    await run.flush();
    const body = '{"a":1,  "b" : [2]}';
    const up = await fx.app.request(`/api/v1/runs/${run.runId}/artifacts/a1`, {
      method: "PUT",
      headers: { ...h, "content-type": "application/json" },
      body,
    });
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ size: body.length, mediaType: "application/json" });
    const down = await fx.app.request(`/api/v1/runs/${run.runId}/artifacts/a1`, { headers: h });
    expect(await down.text()).toBe(body);
  });

  it("rows stream as JSONL, and NaN travels tagged", async () => {
    const run = await fx.store.startRun({ experiment: "a" });
    await run.logRows([
      { datapointId: "b", scores: { s: Number.NaN } },
      { datapointId: "a", scores: { s: 1 } },
    ]);
    await run.finish();
    const res = await fx.app.request(`/api/v1/runs/${run.runId}/rows.jsonl`, { headers: h });
    expect(res.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.datapointId, l.scores.s])).toEqual([
      ["a", 1],
      ["b", { $float: "NaN" }],
    ]);
  });

  it("aggregate scores answer in the NVIDIA evaluator's shape with ?compat=nemo (GET and POST)", async () => {
    const run = await fx.store.startRun({ experiment: "nemo-http" });
    await run.logRows(
      [0, Number.NaN, 2, 5, Number.NaN, 15].map((s, i) => ({ datapointId: `d${i}`, scores: { s } })),
    );
    await run.finish();
    const get = await fx.app.request(`/api/v1/runs/${run.runId}/aggregate-scores?compat=nemo`, {
      headers: h,
    });
    expect(get.status).toBe(200);
    type Scores = { scores: Record<string, unknown>[] };
    const g = (await get.json()) as Scores;
    expect(g).toMatchObject({ compat: "nemo", rows: 6 });
    expect(g.scores[0]).toMatchObject({
      name: "s",
      count: 4,
      nan_count: 2,
      sum: 22,
      mean: 5.5,
      score_type: "range",
    });
    const post = await fx.app.request(
      `/api/v1/runs/${run.runId}/aggregate-scores?compat=nemo`,
      jsonInit("POST", { scores: ["s"] }, h),
    );
    expect(((await post.json()) as Scores).scores[0]).toMatchObject({
      count: 4,
      nan_count: 2,
      std_dev: expect.any(Number),
    });
    const own = await fx.app.request(`/api/v1/runs/${run.runId}/aggregate-scores`, jsonInit("POST", {}, h));
    expect(((await own.json()) as Scores).scores[0]).toMatchObject({ count: 4, nanCount: 2, ddof: 0 });
    const bad = await fx.app.request(`/api/v1/runs/${run.runId}/aggregate-scores?compat=x`, { headers: h });
    expect(bad.status).toBe(400);
  });

  it("GET /api/v1/search/runs takes the NVIDIA evaluator's ?search= (bare strings are substrings)", async () => {
    for (const name of ["search-llama-7b", "search-metric-beta"]) {
      const r = await fx.store.startRun({ experiment: "http-search", name });
      await r.finish();
    }
    const names = async (qs: string) => {
      const res = await fx.app.request(`/api/v1/search/runs?experiment=http-search&fields=&${qs}`, {
        headers: h,
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: { name: string }[] }).data.map((r) => r.name).sort();
    };
    expect(await names(`search=${encodeURIComponent('{"name": "llama"}')}`)).toEqual(["search-llama-7b"]);
    expect(await names("search=beta")).toEqual(["search-metric-beta"]);
    expect(await names(`filter=${encodeURIComponent('{"name": {"$like": "beta"}}')}`)).toEqual([
      "search-metric-beta",
    ]);
    const bad = await fx.app.request(
      `/api/v1/search/runs?search=${encodeURIComponent('{"name": {"$nope": 1}}')}`,
      { headers: h },
    );
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toMatch(/^search\.name/);
  });

  it("a batch writes metrics, rows, tags and ends the run in one request", async () => {
    const prep = await fx.app.request("/api/v1/runs/prepare", jsonInit("POST", { experiment: "b" }, h));
    const create = (await prep.json()) as { runId: string };
    const res = await fx.app.request(
      `/api/v1/runs/${create.runId}/batch`,
      jsonInit(
        "POST",
        {
          create,
          metrics: [{ name: "acc", value: { $float: "Infinity" }, step: null, timestamp: 1 }],
          rows: [{ datapointId: "x", scores: { em: true } }],
          tags: { stage: "dev" },
          end: { status: "success" },
        },
        h,
      ),
    );
    expect(res.status).toBe(204);
    const rec = await fx.store.getRun(create.runId);
    expect(rec).toMatchObject({
      status: "success",
      tags: { stage: "dev" },
      metrics: { acc: Number.POSITIVE_INFINITY },
    });
    const again = await fx.app.request(
      `/api/v1/runs/${create.runId}/batch`,
      jsonInit("POST", { tags: { a: "b" } }, h),
    );
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe("FAILED_PRECONDITION");
  });

  it("a request that takes longer than the timeout answers 504, and frees its slot", async () => {
    const slow = await serverFixture({
      requestTimeoutMs: 50,
      maxConcurrent: 1,
      storeFor: () => ({ listRuns: () => new Promise(() => undefined) }) as unknown as Store,
    });
    try {
      const headers = await slow.keyHeaders("w", "read");
      for (let i = 0; i < 3; i++) {
        const res = await slow.app.request("/api/v1/runs", { headers });
        expect(res.status).toBe(504);
        expect(await errorOf(res)).toMatchObject({
          code: "TIMEOUT",
          message: "request timed out after 50 ms",
        });
      }
      expect((await slow.app.request("/api/v1/session", { headers })).status).toBe(200);
    } finally {
      await slow.cleanup();
    }
  });

  it("runs at most maxConcurrent handlers at once and serves the queue in arrival order", async () => {
    const order: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      releaseFirst = r;
    });
    let calls = 0;
    const queued = await serverFixture({
      maxConcurrent: 1,
      storeFor: () =>
        ({
          listRuns: async () => {
            const n = ++calls;
            if (n === 1) await gate;
            order.push(`run ${n}`);
            return [];
          },
        }) as unknown as Store,
    });
    try {
      const headers = await queued.keyHeaders("w", "read");
      const first = queued.app.request("/api/v1/runs", { headers });
      const second = queued.app.request("/api/v1/runs", { headers });
      await new Promise((r) => setTimeout(r, 30));
      expect(calls).toBe(1);
      releaseFirst();
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
      expect(order).toEqual(["run 1", "run 2"]);
    } finally {
      await queued.cleanup();
    }
  });
});
