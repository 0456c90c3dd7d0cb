import { OpenAPIHono, z } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppEnv } from "./env.js";
import { cachedQuery } from "./query-cache.js";
import { addRoute } from "./route.js";
import { taggedStringify } from "./tagged-stringify.js";
import { jsonInit, type ServerFixture, serverFixture } from "./test-support/fixture.js";

let fx: ServerFixture;
let a: Record<string, string>;
let b: Record<string, string>;

beforeAll(async () => {
  fx = await serverFixture({ maxPageSize: 20 });
  a = await fx.keyHeaders("ws-a", "read");
  b = await fx.keyHeaders("ws-b", "read");
  const params = [
    { model: "b", lr: 0.1, note: 'é\u2028"q"', __proto__: null },
    { model: "b", lr: Number.NaN, big: "x".repeat(5000) },
    { model: "a", deep: { $float: "tricky" }, neg: -0 },
  ];
  for (const ws of ["ws-a", "ws-b"]) {
    const store = fx.store.withWorkspace(ws);
    for (let i = 0; i < 3; i++) {
      const run = await store.startRun({ experiment: "cached", name: `${ws}-${i}`, params: params[i]! });
      await run.logMetrics({ acc: [0.9, Number.POSITIVE_INFINITY, -0][i]!, loss: i });
      await run.finish();
    }
  }
});
afterAll(() => fx.cleanup());

const search = (query: string, headers: Record<string, string>) =>
  fx.app.request(`/api/v1/search/runs?${query}`, { headers });

describe("cachedQuery (GET /api/v1/search/runs)", () => {
  it("answers a query string seen before with the same bytes as the first time, and as the store", async () => {
    const query = new URLSearchParams({ filter: 'params.model = "b"', sort: "-metrics.acc", page_size: "5" });
    const first = await search(query.toString(), a);
    expect(first.status).toBe(200);
    const text = await first.text();
    for (let i = 0; i < 3; i++) {
      const again = await search(query.toString(), a);
      expect(again.status).toBe(200);
      expect(again.headers.get("content-type")).toBe(first.headers.get("content-type"));
      expect(await again.text()).toBe(text);
    }
    const direct = await fx.store
      .withWorkspace("ws-a")
      .searchRuns({ filter: 'params.model = "b"', sort: "-metrics.acc", pageSize: 5 });
    expect(text).toBe(taggedStringify(direct));
    expect(text).toContain('{"$float":"NaN"}');
    expect(text).toContain('{"$float":"Infinity"}');
    const post = await fx.app.request(
      "/api/v1/search/runs",
      jsonInit("POST", { filter: 'params.model = "b"', sort: "-metrics.acc", pageSize: 5 }, a),
    );
    expect(await post.text()).toBe(text);
  });

  it("computes every answer: a run finished after the first search shows in the next", async () => {
    const query = "filter=experiment%20%3D%20%22cached%22&page_size=20";
    const before = (await (await search(query, a)).json()) as { data: unknown[] };
    const run = await fx.store.withWorkspace("ws-a").startRun({ experiment: "cached", name: "late" });
    await run.finish();
    const after = (await (await search(query, a)).json()) as { data: { name: string }[] };
    expect(after.data).toHaveLength(before.data.length + 1);
    expect(after.data.map((r) => r.name)).toContain("late");
  });

  it("keeps workspaces apart: the same query string under another key sees only its runs", async () => {
    const query = "sort=name&page_size=20";
    const fromA = (await (await search(query, a)).json()) as { data: { name: string }[] };
    const fromB = (await (await search(query, b)).json()) as { data: { name: string }[] };
    expect(fromA.data.every((r) => r.name.startsWith("ws-a") || r.name === "late")).toBe(true);
    expect(fromB.data.map((r) => r.name)).toEqual(["ws-b-0", "ws-b-1", "ws-b-2"]);
    expect((await search(query, {})).status).toBe(401);
  });

  it("rejects a bad query string every time, with the same error", async () => {
    for (const query of [
      "page_size=21",
      "page_size=0",
      "page=x",
      "filter=metrics.acc%20%3E",
      "fields=nope",
    ]) {
      const first = await search(query, a);
      expect(first.status).toBe(400);
      const body = await first.text();
      const again = await search(query, a);
      expect(again.status).toBe(400);
      expect(await again.text()).toBe(body);
    }
  });

  it("validates each spelling of a query: another spelling is a first sight", async () => {
    const one = await (await search("page_size=2&sort=name", a)).text();
    const two = await (await search("sort=name&page_size=2", a)).text();
    expect(two).toBe(one);
    expect((await search("sort=name&page_size=2&page_size=3", a)).status).toBe(400);
  });
});

describe("cachedQuery", () => {
  it("runs the schema once per accepted query string, and every time for a rejected one", async () => {
    let checks = 0;
    let handled = 0;
    const app = new OpenAPIHono<AppEnv>();
    const q = cachedQuery<{ n: string }>(async (_c, query) => {
      handled++;
      return new Response(query.n);
    }, 2);
    const n = z.string().refine((v) => {
      checks++;
      return v !== "bad";
    });
    addRoute(
      app,
      {
        method: "get",
        path: "/x",
        middleware: [q.before],
        request: { query: z.object({ n }) },
        responses: {},
      },
      q.handler,
    );
    const get = async (query: string) => {
      const res = await app.request(`/x?${query}`);
      return `${res.status} ${await res.text()}`;
    };
    expect(await get("n=1")).toBe("200 1");
    expect(await get("n=1")).toBe("200 1");
    expect(checks).toBe(1);
    expect(await get("n=2")).toBe("200 2");
    expect(checks).toBe(2);
    expect(await get("n=bad")).toMatch(/^400 /);
    expect(await get("n=bad")).toMatch(/^400 /);
    expect(checks).toBe(4);
    expect(await get("n=3")).toBe("200 3"); // bounded to 2: "n=1" is forgotten
    expect(await get("n=1")).toBe("200 1");
    expect(checks).toBe(6);
    expect(handled).toBe(5);
  });
});
