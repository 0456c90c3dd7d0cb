import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectError } from "../contract/helpers.js";
import { openStore } from "../open-store.js";
import "./register.js";

const root = join(import.meta.dirname, "..", "..", "..");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `labbook serve --port 0` in a process of its own; resolves with its URL once it listens. */
function serveInChild(): Promise<{ child: ChildProcess; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), "labbook-timeout-"));
  dirs.push(dir);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "--store", dir, "serve", "--port", "0"],
    { cwd: root, env: { ...process.env, LABBOOK_API_KEY: "" }, stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += String(d);
      const m = / at (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] as string });
    });
    child.once("exit", (code) => reject(new Error(`the server exited with ${code}: ${out}`)));
  });
}

/** A server that answers with headers and the first bytes of a body, then goes silent. */
async function stallingServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url?.endsWith("/session")) {
      res.setHeader("content-type", "application/json");
      const limits = { maxPageSize: 1000, jsonLimitBytes: 1 << 20, uploadLimitBytes: 1 << 20 };
      res.end(JSON.stringify({ workspace: "default", role: "write", limits }));
      return;
    }
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-length": "1000",
      "x-labbook-digest": "sha256:00",
    });
    res.write(Buffer.alloc(10)); // and nothing more
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("remote store request timeout", () => {
  it("a server stopped with SIGSTOP gives UNAVAILABLE after timeoutMs, not a hang", async () => {
    const { child, url } = await serveInChild();
    try {
      const store = await openStore(url, { timeoutMs: 500 });
      const run = await store.startRun({ experiment: "stopped" });
      await run.finish();
      child.kill("SIGSTOP");
      await expectError(store.listExperiments(), "UNAVAILABLE", /within 500 ms \(timeoutMs\)/);
      await expectError(store.getRun(run.runId), "UNAVAILABLE", /timeoutMs/);
      child.kill("SIGCONT");
      // The server answers again once it runs: the timeout failed the request, not the store.
      expect((await store.getRun(run.runId)).status).toBe("success");
    } finally {
      child.kill("SIGCONT");
      child.kill("SIGKILL");
    }
  }, 60_000);

  it("a download whose bytes stop coming fails UNAVAILABLE once nothing arrives for timeoutMs", async () => {
    const { server, url } = await stallingServer();
    try {
      const store = await openStore(url, { timeoutMs: 300 });
      const opened = await store.openArtifact("r1", "big.bin");
      await expectError(
        async () => {
          for await (const _ of opened.stream) {
            // reads the first bytes, then waits for the rest
          }
        },
        "UNAVAILABLE",
        /timeoutMs/,
      );
      await expectError(store.getArtifact("r1", "big.bin"), "UNAVAILABLE", /timeoutMs/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("refuses a timeout that is not a positive number", async () => {
    await expectError(openStore("http://127.0.0.1:9", { timeoutMs: 0 }), "INVALID_ARGUMENT", /timeoutMs/);
    await expectError(
      openStore("http://127.0.0.1:9", { timeoutMs: Number.NaN }),
      "INVALID_ARGUMENT",
      /timeoutMs/,
    );
  });
});
