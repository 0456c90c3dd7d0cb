import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../store/open-store.js";

const dir = mkdtempSync(join(tmpdir(), "labbook-cli-bin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The real bin, as a user runs it (through tsx, so no build is needed). */
function labbook(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "--store", dir, ...args], {
    cwd: join(import.meta.dirname, "..", ".."),
    encoding: "utf8",
    env: { ...process.env, LABBOOK_DEBUG: "", NO_COLOR: "1" },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the labbook bin", () => {
  it("exits 0 on success, 1 with one line and no stack trace for an unknown run id, 2 for a bad command", () => {
    const ok = labbook("experiments", "--json");
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual([]);

    const missing = labbook("show", "does-not-exist");
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toBe("labbook: run does-not-exist does not exist\n");
    expect(missing.stderr).not.toMatch(/\bat .*:\d+:\d+/);

    const bad = labbook("frobnicate");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(bad.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });

  it("stops quietly, exit 0 and no EPIPE stack, when the reader closes the pipe early (| head)", async () => {
    const store = await openStore(dir);
    const run = await store.startRun({ experiment: "pipe", params: { blob: "x".repeat(300_000) } });
    await run.finish();
    await store.close();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "--store", dir, "runs", "--json"],
      {
        cwd: join(import.meta.dirname, "..", ".."),
        env: { ...process.env, LABBOOK_DEBUG: "" },
      },
    );
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|\bat .*:\d+:\d+/);
    expect(code).toBe(0);
  });
});
