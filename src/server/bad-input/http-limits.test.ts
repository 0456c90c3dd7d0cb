import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, jsonInit, type ServerFixture, serverFixture } from "../test-support/fixture.js";

let fx: ServerFixture;
let h: Record<string, string>;
let runId: string;

beforeAll(async () => {
  fx = await serverFixture({ jsonLimitBytes: 4096, uploadLimitBytes: 10_000, maxPageSize: 50 });
  h = await fx.keyHeaders("default", "write");
  const run = await fx.store.startRun({ experiment: "e" });
  await run.flush();
  runId = run.runId;
});
afterAll(() => fx.cleanup());

const post = (path: string, body: unknown) => fx.app.request(path, jsonInit("POST", body, h));

describe("bad input", () => {
  it("malformed JSON is a 400 naming the problem and its position", async () => {
    const res = await post("/api/v1/experiments", '{"name": "a",}');
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toMatch(/malformed JSON.*position 13/);
  });

  it("a body that fails its schema names the field", async () => {
    const res = await post(`/api/v1/runs/${runId}/batch`, {
      rows: [{ datapointId: "a", scores: { x: {} } }],
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/^rows\[0\]\.scores\.x: /);
    const wrongType = await fx.app.request("/api/v1/experiments", {
      method: "POST",
      headers: { ...h, "content-type": "text/plain" },
      body: '{"name":"a"}',
    });
    expect(wrongType.status).toBe(400);
    expect((await errorOf(wrongType)).message).toMatch(/content-type: must be application\/json/);
  });

  it("a JSON body over the limit is a 413, declared or streamed", async () => {
    const big = { name: "a", description: "x".repeat(5000) };
    const res = await post("/api/v1/experiments", big);
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe("PAYLOAD_TOO_LARGE");
    const chunked = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(JSON.stringify(big)));
        c.close();
      },
    });
    const streamed = await fx.app.request("/api/v1/experiments", {
      method: "POST",
      headers: { ...h, "content-type": "application/json" },
      body: chunked,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await fx.store.listExperiments()).map((e) => e.name)).toEqual(["e"]);
  });

  it("an upload over its own limit is a 413 and stores nothing", async () => {
    const res = await fx.app.request(`/api/v1/runs/${runId}/artifacts/big.bin`, {
      method: "PUT",
      headers: { ...h, "content-type": "application/octet-stream" },
      body: new Uint8Array(20_000),
    });
    expect(res.status).toBe(413);
    expect(await fx.store.listArtifacts(runId)).toEqual([]);
    const ok = await fx.app.request(`/api/v1/runs/${runId}/artifacts/small.bin`, {
      method: "PUT",
      headers: { ...h, "content-type": "application/octet-stream" },
      body: new Uint8Array(9_000),
    });
    expect(ok.status).toBe(200);
  });

  it("a page size over the maximum is a 400 naming the parameter", async () => {
    for (const path of [
      "/api/v1/runs?limit=51",
      "/api/v1/search/runs?page_size=51",
      `/api/v1/runs/${runId}/rows?page_size=51`,
    ]) {
      const res = await fx.app.request(path, { headers: h });
      expect(res.status, path).toBe(400);
      expect((await errorOf(res)).message).toMatch(/(limit|page_size): .*50/);
    }
    expect((await fx.app.request("/api/v1/search/runs?page_size=50", { headers: h })).status).toBe(200);
  });

  it("a filter with a syntax error is a 400 with its position, in either syntax", async () => {
    const res = await fx.app.request(
      `/api/v1/search/runs?filter=${encodeURIComponent("metrics.acc > and")}`,
      {
        headers: h,
      },
    );
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    expect(e.details?.position).toBe(14);
    expect(e.message).toMatch(/position 14/);
    const json = await post("/api/v1/search/runs", { filter: { "metrics.acc": { $gtx: 1 } } });
    expect(json.status).toBe(400);
    expect((await errorOf(json)).message).toMatch(/\$gtx/);
    const rows = await fx.app.request(
      `/api/v1/runs/${runId}/rows?filter=${encodeURIComponent("scores.x ==")}`,
      {
        headers: h,
      },
    );
    expect(rows.status).toBe(400);
    expect((await errorOf(rows)).details?.position).toEqual(expect.any(Number));
  });

  it("an artifact name with '..' is a 400 and nothing escapes", async () => {
    for (const name of ["..%2Fescape.txt", "..%2F..%2Fx", "a%2F..%2Fb"]) {
      const res = await fx.app.request(`/api/v1/runs/${runId}/artifacts/${name}`, {
        method: "PUT",
        headers: { ...h, "content-type": "text/plain" },
        body: "x",
      });
      expect(res.status, name).toBe(400);
      expect((await errorOf(res)).message).toMatch(/name: .*'\.\.'/);
    }
  });

  it("a body that is not UTF-8 is a 400, as JSON and as JSONL", async () => {
    const bad = new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const res = await fx.app.request("/api/v1/experiments", {
      method: "POST",
      headers: { ...h, "content-type": "application/json" },
      body: bad,
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/UTF-8/);
    const jsonl = await fx.app.request(`/api/v1/runs/${runId}/row-scores.jsonl`, {
      method: "POST",
      headers: { ...h, "content-type": "application/x-ndjson" },
      body: bad,
    });
    expect(jsonl.status).toBe(400);
    expect((await errorOf(jsonl)).message).toMatch(/UTF-8/);
  });

  it("unknown routes and internal failures are JSON errors without a stack", async () => {
    const res = await fx.app.request("/api/v1/nothing-here", { headers: h });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).message).toMatch(/no route GET \/api\/v1\/nothing-here/);
    const logged: unknown[] = [];
    const broken = await serverFixture({
      log: (e) => logged.push(e),
      storeFor: () => {
        throw new TypeError("secret internals at /srv/x.ts:12");
      },
    });
    try {
      const r = await broken.app.request("/api/v1/runs", { headers: await broken.keyHeaders("w", "read") });
      expect(r.status).toBe(500);
      const e = await errorOf(r);
      expect(e).toEqual({ code: "INTERNAL", message: "internal error; the server's log has the details" });
      expect(logged).toHaveLength(1);
    } finally {
      await broken.cleanup();
    }
  });
});
