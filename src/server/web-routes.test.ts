import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "./app.js";
import { errorOf, type ServerFixture, serverFixture } from "./test-support/fixture.js";

let fx: ServerFixture;
let runId: string;
let web: string;

beforeAll(async () => {
  web = mkdtempSync(join(tmpdir(), "labbook-webroot-"));
  mkdirSync(join(web, "assets"));
  writeFileSync(join(web, "index.html"), "<!doctype html><title>labbook</title>");
  writeFileSync(join(web, "assets", "index-abc.js"), "console.log(1)");
  fx = await serverFixture({ allowOpen: true, webRoot: web });
  for (const [i, status] of (["success", "success", "failed"] as const).entries()) {
    const run = await fx.store.startRun({
      experiment: "w",
      name: `r${i}`,
      params: { lr: i / 10, opt: { m: "a,b" } },
    });
    for (let step = 0; step < 1000; step++)
      void run.logMetric("loss", step === 500 ? 9 : 1 / (step + 1), { step });
    await run.logMetrics({ acc: 0.5 + i / 10 });
    if (status === "success") await run.finish();
    else await run.fail(new Error("boom"));
    runId = run.runId;
  }
});
afterAll(async () => {
  await fx.cleanup();
  rmSync(web, { recursive: true, force: true });
});

const get = (path: string) => fx.app.request(path);

describe("routes of the web page", () => {
  it("GET /runs/{id}/series/{name}?max_points= answers buckets with the spike kept", async () => {
    const res = await get(`/api/v1/runs/${runId}/series/loss?max_points=50`);
    expect(res.status).toBe(200);
    const s = (await res.json()) as {
      totalPoints: number;
      steps: number[];
      max: number[];
      downsampled: boolean;
    };
    expect(s.totalPoints).toBe(1000);
    expect(s.downsampled).toBe(true);
    expect(s.steps.length).toBeLessThanOrEqual(50);
    expect(Math.max(...s.max)).toBe(9);
    const full = (await (await get(`/api/v1/runs/${runId}/series/loss`)).json()) as { steps: number[] };
    expect(full.steps.length).toBe(1000);
    for (const bad of ["1", "0", "x", "100001", "2.5"]) {
      const r = await get(`/api/v1/runs/${runId}/series/loss?max_points=${bad}`);
      expect(r.status, bad).toBe(400);
      expect((await errorOf(r)).message).toMatch(/max_points/);
    }
    expect((await get("/api/v1/runs/nope/series/loss?max_points=10")).status).toBe(404);
  });

  it("GET /experiment-summaries counts runs by status", async () => {
    const res = await get("/api/v1/experiment-summaries");
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as {
      data: { experimentId: string; runCount: number; statusCounts: object }[];
    };
    expect(data).toMatchObject([
      { experimentId: "w:0.1.0", runCount: 3, statusCounts: { success: 2, failed: 1 } },
    ]);
  });

  it("GET /search/runs.csv streams the view's runs with its columns", async () => {
    const q = new URLSearchParams({
      filter: "metrics.acc >= 0.6",
      sort: "-metrics.acc",
      columns: "name,status,params.lr,params.opt.m,metrics.acc,tags.none",
    });
    const res = await get(`/api/v1/search/runs.csv?${q}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment/);
    expect(await res.text()).toBe(
      'name,status,params.lr,params.opt.m,metrics.acc,tags.none\r\nr2,failed,0.2,"a,b",0.7,\r\nr1,success,0.1,"a,b",0.6,\r\n',
    );
    const bad = await get(`/api/v1/search/runs.csv?filter=${encodeURIComponent("metrics.acc >")}`);
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).details).toMatchObject({ position: 13 });
  });

  it("serves the page at / and its own paths, assets cached, the API untouched", async () => {
    const index = await get("/");
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toMatch(/^text\/html/);
    expect(index.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    expect(await index.text()).toContain("<title>labbook</title>");
    for (const path of ["/runs", `/runs/${runId}`, "/compare?runs=a,b", "/sweeps"]) {
      expect((await get(path)).status, path).toBe(200);
    }
    const asset = await get("/assets/index-abc.js");
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toMatch(/immutable/);
    expect((await get("/assets/missing.js")).status).toBe(404);
    // a path out of the folder serves nothing of it (the page itself at most)
    for (const path of [
      "/%2e%2e/%2e%2e/etc/passwd",
      "/..%2f..%2fpackage.json",
      "/assets/..%2f..%2f..%2fpackage.json",
    ]) {
      const res = await get(path);
      const text = await res.text();
      expect(text, path).not.toMatch(/root:|"devDependencies"/);
      if (res.status === 200) expect(text).toContain("<title>labbook</title>");
    }
    const api = await get("/api/v1/nope");
    expect(api.status).toBe(404);
    expect((await errorOf(api)).code).toBe("NOT_FOUND");
    expect((await fx.app.request("/", { method: "POST" })).status).toBe(404);
  });

  it("serves no page with webRoot: false", async () => {
    const { app } = createServer(fx.store, { allowOpen: true, webRoot: false, log: () => undefined });
    expect((await app.request("/")).status).toBe(404);
  });

  it("needs no key for the page itself, but does for the API", async () => {
    await fx.keyHeaders("default", "read");
    expect((await get("/")).status).toBe(200);
    expect((await get("/api/v1/experiment-summaries")).status).toBe(401);
  });
});
