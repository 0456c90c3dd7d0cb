import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { useTempStores } from "../store/sql/dialects/sqlite/test-support/temp-store.js";
import type { Store } from "../store/types.js";
import { inFlight } from "./in-flight.js";
import { startServer } from "./start.js";
import { isUpload, requestTimeout } from "./timeout.js";

const fresh = useTempStores("in-flight");

describe("handlers at work", () => {
  it("a handler answered 504 by the timeout is still counted until it ends; settled waits for it", async () => {
    const work = inFlight();
    let release: () => void = () => undefined;
    let ended = false;
    const app = new Hono();
    app.onError((e) => new Response(String(e), { status: 504 }));
    app.use("*", work.track);
    app.use("*", requestTimeout(20, isUpload));
    app.use("*", work.track);
    app.get("/slow", async (c) => {
      await new Promise<void>((r) => {
        release = r;
      });
      ended = true;
      return c.text("late");
    });
    const res = await app.request("/slow");
    expect(res.status).toBe(504);
    expect(work.count()).toBe(1);
    let settled = false;
    const done = work.settled(5_000).then(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(settled).toBe(false);
    release();
    await done;
    expect(ended).toBe(true);
    expect(work.count()).toBe(0);
  });

  it("settled gives up after its limit", async () => {
    const work = inFlight();
    const app = new Hono();
    app.use("*", work.track);
    app.get("/never", () => new Promise<Response>(() => undefined));
    void app.request("/never");
    await new Promise((r) => setTimeout(r, 5));
    const t = Date.now();
    await work.settled(50);
    expect(Date.now() - t).toBeGreaterThanOrEqual(45);
    expect(work.count()).toBe(1);
  });

  it("a server closes only once a handler that outlived its 504 has ended, so the store is still open for it", async () => {
    const { store } = await fresh();
    let calls = 0;
    let ended = 0;
    const slow = new Proxy(store, {
      get(target, key) {
        const v = Reflect.get(target, key, target);
        if (key !== "searchRuns" || typeof v !== "function")
          return typeof v === "function" ? v.bind(target) : v;
        return async (...args: unknown[]) => {
          calls++;
          await new Promise((r) => setTimeout(r, 300));
          const page = await v.apply(target, args);
          ended++;
          return page;
        };
      },
    }) as Store;
    const server = await startServer(store, { port: 0, requestTimeoutMs: 30, storeFor: () => slow });
    const res = await fetch(`${server.url}/api/v1/runs?page_size=5`);
    expect(res.status).toBe(504);
    expect(calls).toBe(1);
    expect(ended).toBe(0);
    await server.close();
    expect(ended).toBe(1);
  });
});
