import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, type ServerFixture, serverFixture } from "./test-support/fixture.js";

let fx: ServerFixture;
let h: Record<string, string>;
const ids: string[] = [];
beforeAll(async () => {
  fx = await serverFixture();
  h = await fx.keyHeaders("default", "admin");
  for (let i = 0; i < 6; i++) {
    const run = await fx.store.startRun({ experiment: i < 4 ? "sweep" : "other", params: { lr: i / 10 } });
    await run.logMetrics({ acc: i / 6 });
    if (i === 5) await run.fail(new Error("boom"));
    else await run.finish();
    ids.push(run.runId);
    await new Promise((r) => setTimeout(r, 3)); // creation times apart: the default order is by them
  }
});
afterAll(() => fx.cleanup());

interface Operation {
  parameters?: { name: string; in: string }[];
}

describe("query parameters", () => {
  it("every route refuses a query parameter it does not take, naming it and those it takes", async () => {
    const doc = (await (await fx.app.request("/api/v1/openapi.json", { headers: h })).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    let routes = 0;
    for (const [template, methods] of Object.entries(doc.paths)) {
      const path = template.replace(/\{[^}]+\}/g, ids[0]!);
      for (const [method, op] of Object.entries(methods)) {
        const taken = (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
        const res = await fx.app.request(`${path}?zz_unknown=1`, {
          method: method.toUpperCase(),
          headers: h,
        });
        expect(res.status, `${method.toUpperCase()} ${template}`).toBe(400);
        const e = await errorOf(res);
        expect(e.code).toBe("INVALID_ARGUMENT");
        expect(e.message).toContain('"zz_unknown"');
        expect(e.details?.accepted).toEqual(taken);
        routes++;
      }
    }
    expect(routes).toBeGreaterThan(50);
  });

  it("GET /runs takes the search's filter, sort and paging, and its own experiment and status with them", async () => {
    const get = async (q: string) => {
      const res = await fx.app.request(`/api/v1/runs?${q}`, { headers: h });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const none = await get(`filter=${encodeURIComponent("params.lr = 12345.678")}&page_size=2`);
    expect(none.status).toBe(200);
    expect(none.body.data).toEqual([]);
    expect(none.body.pagination).toEqual({ page: 1, pageSize: 2, totalPages: 0, totalResults: 0 });
    const top = await get(`filter=${encodeURIComponent("metrics.acc > 0.2")}&sort=-metrics.acc&page_size=2`);
    expect((top.body.data as { runId: string }[]).map((r) => r.runId)).toEqual([ids[5], ids[4]]);
    expect(top.body.pagination).toMatchObject({ totalResults: 4, totalPages: 2 });
    const next = await get(
      `filter=${encodeURIComponent("metrics.acc > 0.2")}&sort=-metrics.acc&page_size=2&cursor=${top.body.nextCursor}`,
    );
    expect((next.body.data as { runId: string }[]).map((r) => r.runId)).toEqual([ids[3], ids[2]]);
    const scoped = await get(
      `experiment=sweep&status=success&filter=${encodeURIComponent('{"metrics.acc": {"$gte": 0.3}}')}&fields=`,
    );
    expect((scoped.body.data as { runId: string }[]).map((r) => r.runId)).toEqual([ids[3], ids[2]]);
    const failed = await get("status=failed&page=1");
    expect((failed.body.data as { runId: string }[]).map((r) => r.runId)).toEqual([ids[5]]);
    const listed = await get("experiment=sweep&limit=3&offset=1");
    expect(listed.body).toEqual({ data: expect.any(Array) });
    expect((listed.body.data as { runId: string }[]).map((r) => r.runId)).toEqual([ids[2], ids[1], ids[0]]);
    const mixed = await fx.app.request(`/api/v1/runs?sort=name&limit=2`, { headers: h });
    expect(mixed.status).toBe(400);
    expect((await errorOf(mixed)).message).toMatch(/^limit: .*page and page_size/);
    const bad = await fx.app.request(`/api/v1/runs?filter=${encodeURIComponent("metrics.acc >")}`, {
      headers: h,
    });
    expect((await errorOf(bad)).message).toMatch(/^filter at position/);
  });
});
