import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Fixture, sweepFixture } from "../../results/test-support/fixture.js";
import { S3BlobStore } from "../../store/artifacts/s3.js";
import { useTestS3 } from "../../store/artifacts/test-support/s3-server.js";
import { readParquet } from "../../store/exchange/test-support/read-parquet.js";
import { cli } from "../test-support/capture.js";

const s3 = useTestS3();
let fx: Fixture;
let dir: string;
const saved = process.env.LABBOOK_S3_ENDPOINT;
beforeAll(async () => {
  fx = await sweepFixture();
  dir = mkdtempSync(join(tmpdir(), "labbook-cli-s3-"));
  // As a user points labbook at an S3-compatible server: the endpoint in the environment.
  process.env.LABBOOK_S3_ENDPOINT = s3.endpoint;
});
afterAll(async () => {
  if (saved === undefined) delete process.env.LABBOOK_S3_ENDPOINT;
  else process.env.LABBOOK_S3_ENDPOINT = saved;
  await fx.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("labbook export --out s3://... and labbook exports --out s3://...", () => {
  it("writes Scythe's layout into the bucket and lists it back", async () => {
    const r = await cli([
      "--store",
      fx.dir,
      "export",
      "--format",
      "parquet",
      "--experiment",
      "sweep",
      "--out",
      "s3://labbook/cli/exports",
    ]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(
      /^wrote 6 runs, 8 rows, 12 artifacts to s3:\/\/labbook\/cli\/exports\/sweep\/v1\.0\.0\//,
    );
    const scalarsKey = /scalars: (.*)\n/.exec(r.stdout)![1]!;
    const blobs = S3BlobStore.fromUri("s3://labbook/cli/exports");
    writeFileSync(join(dir, "scalars.pq"), await blobs.read(scalarsKey));
    const scalars = await readParquet(join(dir, "scalars.pq"));
    expect(scalars.rows.length).toBe(6);
    expect(JSON.parse(scalars.kv.pandas!).index_columns).toEqual([
      "experiment_id",
      "sort_index",
      "run_id",
      "lr",
      "seed",
    ]);
    const manifest = parse(
      Buffer.from(await blobs.read(scalarsKey.replace("final/scalars.pq", "manifest.yml"))).toString(),
    );
    expect(manifest.scalars_uri).toBe(`s3://labbook/cli/exports/${scalarsKey}`);

    const l = await cli(["exports", "sweep", "--out", "s3://labbook/cli/exports", "--json"]);
    expect(l.code).toBe(0);
    const listed = JSON.parse(l.stdout);
    expect(listed.versions).toEqual([{ version: "1.0.0", stamps: [scalarsKey.split("/")[2]] }]);
    expect(listed.latestVersion).toBe("1.0.0");
    expect(listed.latest.keys.scalars).toBe(scalarsKey);
    expect(listed.latest.uris.scalars).toBe(`s3://labbook/cli/exports/${scalarsKey}`);
    const v = await cli(["exports", "sweep", "--out", "s3://labbook/cli/exports", "--version", "1.0.0"]);
    expect(v.stdout).toContain("latest version: 1.0.0");
    expect(v.stdout).toContain(`  scalars: ${scalarsKey}`);
    const none = await cli(["exports", "other", "--out", "s3://labbook/cli/exports"]);
    expect(none.stdout).toContain("no export of other under s3://labbook/cli/exports");
  });
});
