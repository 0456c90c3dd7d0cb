import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/** A local S3-compatible server for tests: its endpoint, a bucket, and artifact URIs in it. */
export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** `s3://bucket/<prefix>?endpoint=...` for a store's artifacts. */
  uri(prefix: string): string;
}

/**
 * Starts s3rver in a child process on a free loopback port (with bucket `labbook`) for the test
 * file, and stops it after. The AWS SDK reads fake credentials from the environment.
 *
 * @example
 * const s3 = useTestS3();
 * it("...", async () => { const blobs = S3BlobStore.fromUri(s3.uri("t1")); });
 */
export function useTestS3(): TestS3 {
  const dir = mkdtempSync(join(tmpdir(), "labbook-s3-"));
  const state: TestS3 & { child?: ChildProcess } = {
    endpoint: "",
    bucket: "labbook",
    uri: (prefix) => `s3://labbook/${prefix}?endpoint=${encodeURIComponent(state.endpoint)}`,
  };
  process.env.AWS_ACCESS_KEY_ID ??= "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY ??= "S3RVER";
  process.env.AWS_REGION ??= "us-east-1";
  beforeAll(async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "s3rver-child.ts"), dir, "labbook"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    state.child = child;
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout!.on("data", (d) => {
        out += d;
        const m = /port (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.stderr!.on("data", (d) => {
        err += d;
      });
      child.once("exit", (code) => reject(new Error(`s3rver exited (${code}): ${err}`)));
    });
    state.endpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    const child = state.child;
    if (child && child.exitCode === null) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return state;
}
