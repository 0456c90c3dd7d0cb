import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLabbookError } from "../../core/errors.js";
import type { RemoteStore } from "../../store/remote/remote-store.js";
import { HttpApiKeys } from "../keys/http-api-keys.js";
import { errorOf } from "../test-support/fixture.js";
import { longList } from "./cases.js";
import { contents, makeWorld, type World } from "./world.js";

// Bad input only HTTP can send (tagged JSON that no labbook client writes, bodies nested past any
// depth, query parameters), sent raw to a loopback server: a 4xx JSON error naming the field and
// the rule, never a 500 or an internal message, and the store's contents unchanged.
let w: World;
beforeAll(async () => {
  w = await makeWorld();
}, 60_000);
afterAll(() => w.close());

function send(method: string, path: string, body?: string): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${w.adminKey}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${w.server.url}/api/v1${path}`, { method, headers, body });
}

/** Sends a request, expects `status` with an error matching `message`, and nothing written. */
async function refused(method: string, path: string, body: unknown, status: number, message: RegExp) {
  const before = await contents(w);
  const res = await send(
    method,
    path,
    typeof body === "string" || body === undefined ? body : JSON.stringify(body),
  );
  const e = await errorOf(res);
  expect({ status: res.status, message: e.message }).toEqual({
    status,
    message: expect.stringMatching(message),
  });
  expect(e.message).not.toMatch(/internal|stored data|SQLITE|Maximum call stack/i);
  expect(await contents(w)).toEqual(before);
}

/** `{"a": {"a": ... 1}}`, `depth` levels, written as text (no recursion to build or print it). */
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

describe("tagged JSON that does not decode", () => {
  it('{"$date": "garbage"}, {"$typed": "Evil"} and {"$float": "bogus"} are 400s naming the field', async () => {
    const start = (params: unknown) => ({ experiment: "cat:1.0.0", params });
    await refused(
      "POST",
      "/runs",
      start({ d: { $date: "garbage" } }),
      400,
      /^params\.d: \{"\$date": \.\.\.\} must be an ISO date string; received "garbage"$/,
    );
    await refused(
      "POST",
      "/runs",
      start({ t: { $typed: "Evil" } }),
      400,
      /^params\.t: \{"\$typed": \.\.\.\} must name a typed array \(Float64Array, .*\); received "Evil"$/,
    );
    await refused(
      "POST",
      "/runs/prepare",
      start({ t: { $typed: "Float64Array", data: "AAAA" } }),
      400,
      /^params\.t: .*holds 3 bytes, not a whole number of Float64Array elements/,
    );
    await refused(
      "POST",
      "/runs",
      start({ f: { $float: "bogus" } }),
      400,
      /^params\.f: \{"\$float": \.\.\.\} must be "NaN", "Infinity" or "-Infinity"; received "bogus"$/,
    );
    const batch = { metrics: [{ name: "m", value: { $float: "bogus" }, step: null, timestamp: 1 }] };
    await refused(
      "POST",
      `/runs/${w.openRunId}/batch`,
      batch,
      400,
      /^metrics\[0\]\.value: \{"\$float": \.\.\.\} must be/,
    );
    await refused(
      "POST",
      `/runs/${w.openRunId}/batch`,
      { rows: [{ datapointId: "a", scores: {}, item: { $obj: 3 } }] },
      400,
      /^rows\[0\]\.item: \{"\$obj": \.\.\.\} must hold an object; received 3$/,
    );
  });
});

describe("JSON nested 100,000 deep", () => {
  it("in a batch, a search and as a whole body: a 400 naming the limit", async () => {
    const tooDeep = /: nests more than 1000 levels deep \(the limit\)$/;
    const item = `{"rows":[{"datapointId":"a","scores":{},"item":${deepObject(100_000)}}]}`;
    await refused(
      "POST",
      `/runs/${w.openRunId}/batch`,
      item,
      400,
      /^rows\[0\]\.item\.a\.a\.a.*nests more than 1000 levels deep/,
    );
    await refused(
      "POST",
      "/search/runs",
      `{"filter":${`{"$not":`.repeat(100_000)}{"metrics.acc":1}${"}".repeat(100_000)}}`,
      400,
      tooDeep,
    );
    await refused("POST", "/runs", `${"[".repeat(100_000)}${"]".repeat(100_000)}`, 400, tooDeep);
  });

  it("a body nested within the limit is read (and its value checked by the store)", async () => {
    await refused(
      "POST",
      `/runs/${w.openRunId}/batch`,
      `{"rows":[{"datapointId":"a","scores":{},"item":${deepObject(600)}}]}`,
      400,
      /^rows\[0\]\.item\.a\.a.*nests more than 500 levels deep \(the limit\)$/,
    );
  });
});

describe("query parameters", () => {
  it("listing runs: limit 1.5, limit -1, status bogus are 400s naming the parameter", async () => {
    await refused("GET", "/runs?limit=1.5", undefined, 400, /^limit: /);
    await refused("GET", "/runs?limit=-1", undefined, 400, /^limit: /);
    await refused(
      "GET",
      "/runs?status=bogus",
      undefined,
      400,
      /^status: must be one of .*; received "bogus"$/,
    );
  });

  it("a filter of 3,000 nested `not` is a 400, in either syntax", async () => {
    // Spaces as "+": 3,000 `not` fit in a URL (Node reads at most 16 kB of request head).
    const q = new URLSearchParams({ f: `${"not ".repeat(3000)}metrics.acc > 0` }).toString().slice(2);
    await refused(
      "GET",
      `/search/runs?filter=${q}`,
      undefined,
      400,
      /filter at position 256: expected at most 64 levels/,
    );
    await refused(
      "GET",
      `/runs/${w.rowsRunId}/rows?filter=${q.replace("metrics.acc", "scores.em")}`,
      undefined,
      400,
      /at most 64 levels/,
    );
  });

  it("a row filter of 5,000 values goes in a POST body (a URL holds a few kB)", async () => {
    const filter = { datapoint_id: { $in: longList(5000, (i) => `z${i}`, ["d3", "d4"]) } };
    const res = await send("POST", `/runs/${w.rowsRunId}/rows/search`, JSON.stringify({ filter }));
    expect(res.status).toBe(200);
    const page = (await res.json()) as {
      data: { datapointId: string }[];
      pagination: { totalResults: number };
    };
    expect(page.data.map((r) => r.datapointId)).toEqual(["d3", "d4"]);
    expect(page.pagination.totalResults).toBe(2);
  });
});

describe("request bodies", () => {
  it("an unknown key in a body only the server reads is refused, naming the nearest", async () => {
    await refused(
      "PUT",
      `/runs/${w.openRunId}/derived`,
      { values: { x: 1 }, overwrit: true },
      400,
      /^overwrit: is not an option of setDerived \(values, overwrite\); did you mean "overwrite"\?/,
    );
    await refused("POST", "/keys", { role: "read", nmae: "ci" }, 400, /^nmae: .*did you mean "name"\?/);
    await refused(
      "POST",
      `/runs/${w.openRunId}/batch`,
      { rows: [{ datapointId: "a", scores: {}, datapointID: "b" }] },
      400,
      /^rows\[0\]\.datapointID: is not a field of a row .*; did you mean "datapointId"\?/,
    );
  });

  it("every request body of the OpenAPI document refuses unknown keys, at every level", async () => {
    const doc = (await (await send("GET", "/openapi.json")).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >;
      components: { schemas: Record<string, unknown> };
    };
    const open: string[] = [];
    const seen = new Set<unknown>();
    const walk = (schema: unknown, at: string): void => {
      if (schema === null || typeof schema !== "object" || seen.has(schema)) return;
      seen.add(schema);
      const s = schema as Record<string, unknown>;
      if (typeof s.$ref === "string") {
        walk(doc.components.schemas[s.$ref.split("/").pop()!], at);
        return;
      }
      if (s.properties) {
        if (s.additionalProperties !== false) open.push(at);
        for (const [k, v] of Object.entries(s.properties)) walk(v, `${at}.${k}`);
      }
      for (const k of ["anyOf", "oneOf", "allOf"]) for (const v of (s[k] as unknown[]) ?? []) walk(v, at);
      if (s.items) walk(s.items, `${at}[]`);
    };
    let bodies = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const json = op.requestBody?.content["application/json"];
        if (!json) continue;
        bodies++;
        walk(json.schema, `${method.toUpperCase()} ${path}`);
      }
    }
    expect(bodies).toBeGreaterThanOrEqual(18);
    expect(open).toEqual([]);
  });
});

describe("API keys", () => {
  it("an admin key asking for a key of another workspace is refused, never given its own", async () => {
    await refused(
      "POST",
      "/keys",
      { role: "read", workspace: "other" },
      403,
      /^workspace: an admin key creates keys of its own workspace \(default\) only; received "other"/,
    );
    const before = await contents(w);
    const viaClient = await new HttpApiKeys(w.remote as RemoteStore)
      .create({ workspace: "other", role: "read" })
      .catch((e) => e);
    expect(isLabbookError(viaClient, "PERMISSION_DENIED")).toBe(true);
    expect(await contents(w)).toEqual(before);
    const own = await send("POST", "/keys", JSON.stringify({ role: "read", workspace: "default" }));
    expect(own.status).toBe(201);
    expect(((await own.json()) as { info: { workspace: string } }).info.workspace).toBe("default");
  });
});
