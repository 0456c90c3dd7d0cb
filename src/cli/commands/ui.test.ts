import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../store/sql/dialects/sqlite/open.js";
import { cli } from "../test-support/capture.js";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "labbook-cli-ui-"));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `labbook ui ...` and resolves with the URL it prints. */
function startUi(args: string[]): Promise<string> {
  child = spawn(process.execPath, ["--import", "tsx", MAIN, "ui", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child!.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child!.stderr!.on("data", (b: Buffer) => reject(new Error(b.toString())));
    child!.on("exit", (code) => reject(new Error(`labbook ui exited with ${code}: ${out}`)));
  });
}

describe("labbook ui", () => {
  it("serves the store's API (and the page) on 127.0.0.1 and prints the URL", async () => {
    const store = await openSqliteStore(dir);
    const run = await store.startRun({ experiment: "ui-e", name: "r" });
    await run.finish();
    await store.close();
    const url = await startUi(["--store", dir, "--port", "0"]);
    const res = await fetch(`${url}api/v1/experiment-summaries`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { experimentId: string; runCount: number }[] };
    expect(body.data).toMatchObject([{ experimentId: "ui-e:0.1.0", runCount: 1 }]);
    const page = await fetch(url);
    // the page when built (npm run build), else a JSON 404: never an error of the server
    expect([200, 404]).toContain(page.status);
    child!.kill("SIGTERM");
    await new Promise((r) => child!.once("exit", r));
  });

  it("refuses a server URL and a bad port", async () => {
    const remote = await cli(["ui", "--store", "http://127.0.0.1:1", "--port", "0"]);
    expect(remote.code).toBe(1);
    expect(remote.stderr).toMatch(/embedded store/);
    const port = await cli(["ui", "--store", dir, "--port", "x"]);
    expect(port.code).toBe(1);
    expect(port.stderr).toMatch(/--port/);
  });
});
