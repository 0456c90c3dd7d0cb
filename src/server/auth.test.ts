import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "./start.js";
import { errorOf, jsonInit, type ServerFixture, serverFixture } from "./test-support/fixture.js";

let fx: ServerFixture;
let a: Record<string, string>;
let aRead: Record<string, string>;
let b: Record<string, string>;
let bRun: string;
let bOld: string;

beforeAll(async () => {
  fx = await serverFixture();
  a = await fx.keyHeaders("ws-a", "write");
  aRead = await fx.keyHeaders("ws-a", "read");
  b = await fx.keyHeaders("ws-b", "write");
  const storeB = fx.store.withWorkspace("ws-b");
  for (const label of ["old", "new"]) {
    const run = await storeB.startRun({ experiment: "secret", name: label });
    await run.logRows([{ datapointId: "d1", scores: { acc: 1 } }]);
    await run.logArtifact("notes.txt", "B's notes");
    await run.finish();
    if (label === "old") bOld = run.runId;
    else bRun = run.runId;
  }
  const runA = await fx.store.withWorkspace("ws-a").startRun({ experiment: "mine" });
  await runA.finish();
});
afterAll(() => fx.cleanup());

const get = (path: string, headers: Record<string, string> = {}) => fx.app.request(path, { headers });

describe("API keys", () => {
  it("health needs no key; everything else answers 401 without one or with a wrong one", async () => {
    expect((await get("/healthz")).status).toBe(200);
    const none = await get("/api/v1/runs");
    expect(none.status).toBe(401);
    expect((await errorOf(none)).code).toBe("UNAUTHENTICATED");
    const wrong = await get("/api/v1/runs", {
      authorization: `Bearer lbk_${"0".repeat(16)}_${"x".repeat(43)}`,
    });
    expect(wrong.status).toBe(401);
    expect((await get("/api/v1/runs", { authorization: "Bearer nonsense" })).status).toBe(401);
    // the OpenAPI document is public (Swagger tools load it without a key)
    const doc = await get("/api/v1/openapi.json");
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe("3.1.0");
  });

  it("a tampered secret of a real key id is refused", async () => {
    const { key } = await fx.keys.create({ workspace: "ws-a", role: "read" });
    const tampered = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
    expect((await get("/api/v1/runs", { authorization: `Bearer ${tampered}` })).status).toBe(401);
    expect((await get("/api/v1/runs", { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await get("/api/v1/runs", { "x-api-key": key })).status).toBe(200);
  });

  it("a read key reads but cannot write (403), and a revoked key is refused", async () => {
    expect((await get("/api/v1/runs", aRead)).status).toBe(200);
    const write = await fx.app.request("/api/v1/experiments", jsonInit("POST", { name: "x" }, aRead));
    expect(write.status).toBe(403);
    expect((await errorOf(write)).code).toBe("PERMISSION_DENIED");
    const search = await fx.app.request("/api/v1/search/runs", jsonInit("POST", { pageSize: 5 }, aRead));
    expect(search.status).toBe(200);
    const { key, info } = await fx.keys.create({ workspace: "ws-a", role: "write" });
    await fx.keys.revoke(info.id);
    expect((await get("/api/v1/runs", { authorization: `Bearer ${key}` })).status).toBe(401);
  });

  it("only admin keys manage keys, and only of their workspace", async () => {
    expect((await get("/api/v1/keys", a)).status).toBe(403);
    const admin = await fx.keyHeaders("ws-a", "admin");
    const made = await fx.app.request("/api/v1/keys", jsonInit("POST", { role: "read" }, admin));
    expect(made.status).toBe(201);
    const { key, info } = (await made.json()) as { key: string; info: { id: string; workspace: string } };
    expect(info.workspace).toBe("ws-a");
    expect((await get("/api/v1/session", { authorization: `Bearer ${key}` })).status).toBe(200);
    const listed = (await (await get("/api/v1/keys", admin)).json()) as { data: { workspace: string }[] };
    expect(listed.data.every((k) => k.workspace === "ws-a")).toBe(true);
    expect(JSON.stringify(listed)).not.toContain(key.slice(21));
    const bKeys = await fx.keys.list("ws-b");
    const other = await fx.app.request(`/api/v1/keys/${bKeys[0]!.id}`, { method: "DELETE", headers: admin });
    expect(other.status).toBe(404);
  });
});

describe("workspaces", () => {
  it("another workspace's runs, rows, artifacts and comparisons answer 404 exactly like unknown ids", async () => {
    const paths = (id: string) => [
      `/api/v1/runs/${id}`,
      `/api/v1/runs/${id}/rows`,
      `/api/v1/runs/${id}/rows.jsonl`,
      `/api/v1/runs/${id}/row-scores.jsonl`,
      `/api/v1/runs/${id}/artifacts`,
      `/api/v1/runs/${id}/artifacts/notes.txt`,
      `/api/v1/runs/${id}/result`,
      `/api/v1/runs/${id}/compare-with/${bOld}`,
    ];
    const theirs = paths(bRun);
    const unknown = paths("does-not-exist");
    for (let i = 0; i < theirs.length; i++) {
      const res = await get(theirs[i]!, a);
      const ref = await get(unknown[i]!, a);
      expect(res.status, theirs[i]).toBe(404);
      expect(ref.status).toBe(404);
      const [e1, e2] = [await errorOf(res), await errorOf(ref)];
      expect(e1.code).toBe("NOT_FOUND");
      expect(e1.message.replaceAll(bRun, "ID")).toBe(e2.message.replaceAll("does-not-exist", "ID"));
    }
    expect((await get(`/api/v1/runs/${bRun}`, b)).status).toBe(200);
    const del = await fx.app.request(`/api/v1/runs/${bRun}`, { method: "DELETE", headers: a });
    expect(del.status).toBe(404);
    expect((await get(`/api/v1/runs/${bRun}`, b)).status).toBe(200);
  });

  it("listings, searches and experiments never show another workspace's runs", async () => {
    const list = (await (await get("/api/v1/runs", a)).json()) as { data: { runId: string }[] };
    expect(list.data).toHaveLength(1);
    const found = (await (await get("/api/v1/search/runs?page_size=100", a)).json()) as {
      data: { runId: string }[];
      pagination: { totalResults: number };
    };
    expect(found.pagination.totalResults).toBe(1);
    expect(JSON.stringify(found)).not.toContain(bRun);
    const exps = (await (await get("/api/v1/experiments", a)).json()) as { data: { name: string }[] };
    expect(exps.data.map((e) => e.name)).toEqual(["mine"]);
    const fields = await (await get("/api/v1/fields", a)).text();
    expect(fields).not.toContain("secret");
  });
});

describe("open mode", () => {
  it("on loopback with no key configured the server runs open; with a key it does not", async () => {
    const fresh = await serverFixture();
    try {
      const server = await startServer(fresh.store, { port: 0 });
      try {
        expect(server.open).toBe(true);
        expect((await fetch(`${server.url}/api/v1/runs`)).status).toBe(200);
        await fresh.keys.create({ workspace: "default", role: "read" });
        expect((await fetch(`${server.url}/api/v1/runs`)).status).toBe(401);
      } finally {
        await server.close();
      }
    } finally {
      await fresh.cleanup();
    }
  });

  it("refuses to bind another address without keys", async () => {
    const fresh = await serverFixture();
    try {
      await expect(startServer(fresh.store, { host: "0.0.0.0", port: 0 })).rejects.toMatchObject({
        code: "FAILED_PRECONDITION",
        message: expect.stringMatching(/without API keys/),
      });
    } finally {
      await fresh.cleanup();
    }
  });
});
