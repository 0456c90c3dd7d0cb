import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../cli/test-support/capture.js";
import { checkCorsOrigins } from "./cors.js";

const ORIGIN = "http://localhost:5173";
let dir: string;
let child: ChildProcess;
let url: string;
let key: string;

/** `labbook serve` as a user starts it (the real bin, through tsx), with a key configured. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "labbook-cors-"));
  key = (
    await cli(["--store", dir, "keys", "create", "--workspace", "default", "--role", "read"])
  ).stdout.trim();
  child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "--store", dir, "serve", "--port", "0", "--cors-origin", ORIGIN],
    { cwd: join(import.meta.dirname, "..", ".."), env: { ...process.env, LABBOOK_DEBUG: "" } },
  );
  url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += String(d);
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`labbook serve exited with ${code}`)));
  });
}, 60_000);
afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("a server with keys: the public parts and CORS", () => {
  it("serves /healthz and the OpenAPI document without a key, and nothing else", async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const doc = await fetch(`${url}/api/v1/openapi.json`);
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe("3.1.0");
    expect((await fetch(`${url}/api/v1/runs`)).status).toBe(401);
    expect((await fetch(`${url}/api/v1/runs`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(
      200,
    );
  });

  it("answers a CORS preflight from a configured origin without a key; other origins get no grant", async () => {
    const preflight = await fetch(`${url}/api/v1/search/runs`, {
      method: "OPTIONS",
      headers: {
        origin: ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(preflight.headers.get("access-control-allow-methods")).toMatch(/POST/);
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toMatch(/authorization/);
    const get = await fetch(`${url}/api/v1/runs`, {
      headers: { origin: ORIGIN, authorization: `Bearer ${key}` },
    });
    expect(get.status).toBe(200);
    expect(get.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    // an error still carries the grant, so the page can read why
    const refused = await fetch(`${url}/api/v1/runs`, { headers: { origin: ORIGIN } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const other = await fetch(`${url}/api/v1/runs`, {
      method: "OPTIONS",
      headers: { origin: "http://evil.example", "access-control-request-method": "GET" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("names the flag and the value of a bad origin", async () => {
    expect(() => checkCorsOrigins(["localhost:5173"], "--cors-origin")).toThrow(
      /^--cors-origin: expected an origin such as https:\/\/app\.example\.com .*; received "localhost:5173"/,
    );
    const r = await cli(["--store", dir, "serve", "--port", "0", "--cors-origin", "ftp://x/y"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--cors-origin: expected an origin/);
  });
});
