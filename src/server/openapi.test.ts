import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerFixture, serverFixture } from "./test-support/fixture.js";

let fx: ServerFixture;
let doc: { openapi: string; paths: Record<string, Record<string, unknown>> };

beforeAll(async () => {
  fx = await serverFixture({ allowOpen: true });
  const res = await fx.app.request("/api/v1/openapi.json");
  expect(res.status).toBe(200);
  doc = (await res.json()) as typeof doc;
});
afterAll(() => fx.cleanup());

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

describe("OpenAPI document", () => {
  it("validates as OpenAPI 3.1", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("lists exactly the routes the server has, each with its methods", () => {
    const served = new Set(
      fx.app.routes
        .filter((r) => METHODS.has(r.method))
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`),
    );
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    expect([...served].sort()).toEqual([...documented].sort());
    expect(served.size).toBeGreaterThan(40);
    for (const must of [
      "GET /healthz",
      "GET /api/v1/openapi.json",
      "GET /api/v1/search/runs",
      "GET /api/v1/runs/{runId}/result",
      "GET /api/v1/runs/{newRunId}/compare-with/{oldRunId}",
      "PUT /api/v1/runs/{runId}/artifacts/{name}",
    ]) {
      expect(served.has(must), must).toBe(true);
    }
  });

  it("documents the error shape, the API key scheme, and needs no key only for /healthz and itself", () => {
    const full = doc as unknown as {
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
      security: unknown[];
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    expect(full.components.schemas.Error).toBeDefined();
    expect(full.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    expect(full.security).toEqual([{ apiKey: [] }]);
    expect(full.paths["/healthz"]?.get?.security).toEqual([]);
    expect(full.paths["/api/v1/openapi.json"]?.get?.security).toEqual([]);
    const open = Object.entries(full.paths).flatMap(([p, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => Array.isArray(op.security) && op.security.length === 0)
        .map(([m]) => `${m} ${p}`),
    );
    expect(open.sort()).toEqual(["get /api/v1/openapi.json", "get /healthz"]);
    expect(full.paths["/api/v1/runs/{runId}"]?.get?.responses["404"]).toBeDefined();
  });
});
